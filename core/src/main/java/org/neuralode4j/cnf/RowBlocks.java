package org.neuralode4j.cnf;

import org.neuralode4j.nn.Activation;
import org.neuralode4j.tensor.kernels.GemmF32;
import org.neuralode4j.tensor.kernels.GemmF64;
import org.neuralode4j.tensor.kernels.VecMathF32;
import org.neuralode4j.tensor.kernels.VecMathF64;

/**
 * The arithmetic {@link ClosedFormField} does on row blocks ([rows, width] arrays, a few stacked probe copies of
 * them, and the effective weights) in one precision, with the scratch arrays that values-only evaluations reuse.
 * The field's algorithm is written once against this class; {@link F64} and {@link F32} hold the few loops that
 * differ only in the array type. Parameter-sized work (gates, effective weights, the map back to W, b, s, w_g,
 * b_g) stays in double: it is O(width²) per evaluation against the blocks' O(rows·width²).
 *
 * <p>Why a float32 twin: W2's field lives on [512, 64] blocks, where float32 doubles the lanes of every GEMM and
 * activation (workloads.md §0: the reference computes in float32). Not thread-safe: one instance per field, and a
 * field belongs to one solve.
 *
 * @param <A> double[] or float[]
 */
abstract class RowBlocks<A> {
    /** Scratch roles: forward values, then the reverse sweep's temporaries (never aliasing a live forward). */
    static final int H = 0;
    static final int ACT = 1;
    static final int D1 = 2;
    static final int C = 3;
    static final int DELTA = 4;
    static final int D_BAR = 5;
    static final int P_BAR = 6;
    static final int NEXT = 7;
    static final int A_BAR = 8;
    /** Roles only {@link ClosedFormField.RowsForward} (a time per row) uses: per-row gates, γ_k, pre-activations. */
    static final int GATE = 9;
    static final int GATED = 10;
    static final int PRE = 11;
    private static final int ROLES = 12;

    private final Object[][] scratch;

    RowBlocks(int layers) {
        scratch = new Object[ROLES][layers + 1];
    }

    /** A new zeroed array of this precision. */
    abstract A alloc(int n);

    abstract int length(A x);

    /** x in this precision (x itself for double, which callers then must not modify). */
    abstract A from(double[] x);

    /** x as doubles (x itself for double). */
    abstract double[] toDouble(A x);

    /** c [m×n] (+)= op(a)·op(b), as GemmF64/GemmF32.gemm with zero offsets. */
    abstract void gemm(int m, int n, int k, A a, boolean transA, A b, boolean transB, A c, boolean accumulate);

    /** σ(h) into out and σ′(h) into d; σ is tanh or softplus. */
    abstract void activate(Activation act, A h, A out, A d);

    /** Every row of h [rows, m] set to b. */
    abstract void fillRows(A h, A b, int rows, int m);

    /** out = x ⊙ p for each of {@code copies} stacked blocks of x, p one block. */
    abstract void mulRepeated(A x, A p, A out, int copies, int block);

    /** Reverse of δ = c ⊙ σ′ for stacked probes: c̄ = δ̄ ⊙ σ′ into next, and Σ_probes δ̄ ⊙ c added to pBar. */
    abstract void throughProbeActivation(A dBar, A p, A c, A next, A pBar, int copies, int block);

    /** b̄ += Σ_rows h̄, summed in double. */
    abstract void addRows(A h, double[] b, int rows, int m);

    /**
     * h̄ = ā ⊙ σ′ + p̄ ⊙ σ″ in place, σ″ from the stored a and σ′: tanh −2aσ′, softplus σ′(1 − σ′). p̄ may be null
     * (no probes).
     */
    abstract void throughActivation(A aBar, A act, A p, A pBar, boolean tanh);

    abstract void fill(A x, double value);

    /**
     * A new array, or (reuse) this instance's scratch array for the role and layer, whose previous contents are
     * left in place: callers overwrite every entry (or clear it).
     */
    @SuppressWarnings("unchecked")
    final A array(boolean reuse, int role, int layer, int size) {
        if (!reuse) {
            return alloc(size);
        }
        Object v = scratch[role][layer];
        if (v == null || length((A) v) != size) {
            v = alloc(size);
            scratch[role][layer] = v;
        }
        return (A) v;
    }

    /** {@code n} slots of this precision's arrays (erased to Object[], never exposed as a concrete array type). */
    @SuppressWarnings("unchecked")
    final A[] slots(int n) {
        return (A[]) new Object[n];
    }

    /** float64 blocks: the kernels' double twins, and no conversions. */
    static final class F64 extends RowBlocks<double[]> {
        F64(int layers) {
            super(layers);
        }

        @Override
        double[] alloc(int n) {
            return new double[n];
        }

        @Override
        int length(double[] x) {
            return x.length;
        }

        @Override
        double[] from(double[] x) {
            return x;
        }

        @Override
        double[] toDouble(double[] x) {
            return x;
        }

        @Override
        void gemm(int m, int n, int k, double[] a, boolean transA, double[] b, boolean transB, double[] c,
                  boolean accumulate) {
            GemmF64.gemm(m, n, k, a, 0, transA, b, 0, transB, c, 0, accumulate);
        }

        @Override
        void activate(Activation act, double[] h, double[] out, double[] d) {
            int n = h.length;
            if (act == Activation.TANH) {
                VecMathF64.tanh(h, 0, out, 0, n);
                for (int i = 0; i < n; i++) {
                    d[i] = 1.0 - out[i] * out[i];
                }
            } else {
                VecMathF64.softplus(h, 0, out, 0, n);
                VecMathF64.sigmoid(h, 0, d, 0, n);
            }
        }

        @Override
        void fillRows(double[] h, double[] b, int rows, int m) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, 0, h, r * m, m);
            }
        }

        @Override
        void mulRepeated(double[] x, double[] p, double[] out, int copies, int block) {
            for (int q = 0; q < copies; q++) {
                int off = q * block;
                for (int i = 0; i < block; i++) {
                    out[off + i] = x[off + i] * p[i];
                }
            }
        }

        @Override
        void throughProbeActivation(double[] dBar, double[] p, double[] c, double[] next, double[] pBar, int copies,
                                    int block) {
            for (int q = 0; q < copies; q++) {
                int off = q * block;
                for (int i = 0; i < block; i++) {
                    double db = dBar[off + i];
                    next[off + i] = db * p[i];
                    pBar[i] += db * c[off + i];
                }
            }
        }

        @Override
        void addRows(double[] h, double[] b, int rows, int m) {
            for (int r = 0; r < rows; r++) {
                int o = r * m;
                for (int i = 0; i < m; i++) {
                    b[i] += h[o + i];
                }
            }
        }

        @Override
        void throughActivation(double[] aBar, double[] act, double[] p, double[] pBar, boolean tanh) {
            int n = aBar.length;
            if (pBar == null) {
                for (int i = 0; i < n; i++) {
                    aBar[i] *= p[i];
                }
            } else if (tanh) {
                for (int i = 0; i < n; i++) {
                    double pi = p[i];
                    aBar[i] = aBar[i] * pi - 2.0 * pBar[i] * act[i] * pi;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    double pi = p[i];
                    aBar[i] = aBar[i] * pi + pBar[i] * pi * (1.0 - pi);
                }
            }
        }

        @Override
        void fill(double[] x, double value) {
            java.util.Arrays.fill(x, value);
        }
    }

    /** float32 blocks: the kernels' float twins; conversions at the field's edges (width-D state, probes, f, v). */
    static final class F32 extends RowBlocks<float[]> {
        F32(int layers) {
            super(layers);
        }

        @Override
        float[] alloc(int n) {
            return new float[n];
        }

        @Override
        int length(float[] x) {
            return x.length;
        }

        @Override
        float[] from(double[] x) {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) x[i];
            }
            return y;
        }

        @Override
        double[] toDouble(float[] x) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i];
            }
            return y;
        }

        @Override
        void gemm(int m, int n, int k, float[] a, boolean transA, float[] b, boolean transB, float[] c,
                  boolean accumulate) {
            GemmF32.gemm(m, n, k, a, 0, transA, b, 0, transB, c, 0, accumulate);
        }

        @Override
        void activate(Activation act, float[] h, float[] out, float[] d) {
            int n = h.length;
            if (act == Activation.TANH) {
                VecMathF32.tanh(h, 0, out, 0, n);
                for (int i = 0; i < n; i++) {
                    d[i] = 1.0f - out[i] * out[i];
                }
            } else {
                VecMathF32.softplus(h, 0, out, 0, n);
                VecMathF32.sigmoid(h, 0, d, 0, n);
            }
        }

        @Override
        void fillRows(float[] h, float[] b, int rows, int m) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, 0, h, r * m, m);
            }
        }

        @Override
        void mulRepeated(float[] x, float[] p, float[] out, int copies, int block) {
            for (int q = 0; q < copies; q++) {
                int off = q * block;
                for (int i = 0; i < block; i++) {
                    out[off + i] = x[off + i] * p[i];
                }
            }
        }

        @Override
        void throughProbeActivation(float[] dBar, float[] p, float[] c, float[] next, float[] pBar, int copies,
                                    int block) {
            for (int q = 0; q < copies; q++) {
                int off = q * block;
                for (int i = 0; i < block; i++) {
                    float db = dBar[off + i];
                    next[off + i] = db * p[i];
                    pBar[i] += db * c[off + i];
                }
            }
        }

        @Override
        void addRows(float[] h, double[] b, int rows, int m) {
            for (int r = 0; r < rows; r++) {
                int o = r * m;
                for (int i = 0; i < m; i++) {
                    b[i] += h[o + i];
                }
            }
        }

        @Override
        void throughActivation(float[] aBar, float[] act, float[] p, float[] pBar, boolean tanh) {
            int n = aBar.length;
            if (pBar == null) {
                for (int i = 0; i < n; i++) {
                    aBar[i] *= p[i];
                }
            } else if (tanh) {
                for (int i = 0; i < n; i++) {
                    float pi = p[i];
                    aBar[i] = aBar[i] * pi - 2.0f * pBar[i] * act[i] * pi;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    float pi = p[i];
                    aBar[i] = aBar[i] * pi + pBar[i] * pi * (1.0f - pi);
                }
            }
        }

        @Override
        void fill(float[] x, double value) {
            java.util.Arrays.fill(x, (float) value);
        }
    }
}
