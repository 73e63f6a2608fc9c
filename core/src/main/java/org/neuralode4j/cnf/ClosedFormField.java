package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ConcatSquashLinear;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeModule;
import org.neuralode4j.nn.TimeSequential;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.GemmF64;
import org.neuralode4j.tensor.kernels.VecMathF64;

/**
 * The CNF right-hand side of a ConcatSquash MLP in closed form (regularisers.md §2.4 and §7: "a field may supply J
 * or v in closed form instead of by autodiff"): the forward pass, the probe products v_j = u_jᵀ ∂f/∂z, and the
 * reverse sweep of the whole evaluation — which is second order in the network, because the trace and ‖v‖² are
 * themselves built from vjps — written as a handful of GEMMs and fused elementwise loops on raw arrays.
 *
 * <p>Why: with autodiff one evaluation records some 60 ops on [B, 64] tensors, each allocating and streaming its
 * own array; the GEMMs are less than half the time. Here the work is the GEMMs plus one pass per layer.
 *
 * <p><b>Network.</b> Layer k (k = 1..L) is y = (W_k x + b_k) ⊙ g_k + s_k·t with g_k = sig(w_{g,k} t + b_{g,k}),
 * i.e. an ordinary affine layer with Ŵ_k = diag(g_k) W_k and b̂_k = g_k ⊙ b_k + t·s_k (t is shared by the batch).
 * a_0 = z, h_k = a_{k−1} Ŵ_kᵀ + b̂_k, a_k = σ(h_k) for k &lt; L, f = h_L; σ is tanh or softplus.
 *
 * <p><b>Probe pass</b> for a probe u (rows of the batch stacked for all probes): δ_L = u, c_{k−1} = δ_k Ŵ_k,
 * δ_{k−1} = c_{k−1} ⊙ σ′(h_{k−1}), v = c_0.
 *
 * <p><b>Reverse sweep</b> given cotangents F̃ on f and V̄_j on each v_j: for k = 1..L,
 * Ŵ̄_k += δ_kᵀ c̄_{k−1}, and for k &lt; L: δ̄_k = c̄_{k−1} Ŵ_kᵀ, c̄_k = δ̄_k ⊙ σ′_k, p̄_k += δ̄_k ⊙ c_k (c̄_0 = V̄); then
 * h̄_L = F̃ and for k = L..1: Ŵ̄_k += h̄_kᵀ a_{k−1}, b̂̄_k += Σ_rows h̄_k, ā_{k−1} = h̄_k Ŵ_k,
 * h̄_{k−1} = ā_{k−1} ⊙ σ′_{k−1} + p̄_{k−1} ⊙ σ″_{k−1}; z̄ = ā_0. Finally Ŵ̄, b̂̄ map back to W, b, s, w_g, b_g.
 *
 * <p>Only fields made by {@code Mlp.field} with CONCAT_SQUASH layers and TANH or SOFTPLUS activations qualify;
 * everything else uses the autodiff path. Time is a plain number here, so a learned end time (which
 * differentiates through t) also uses the autodiff path. Tested against autodiff to 1e-12 (values) and 1e-10
 * (gradients).
 */
final class ClosedFormField {
    private final List<ConcatSquashLinear> layers;
    private final Activation activation;
    private final int[] widths;

    private ClosedFormField(List<ConcatSquashLinear> layers, Activation activation) {
        this.layers = layers;
        this.activation = activation;
        this.widths = new int[layers.size() + 1];
        widths[0] = layers.get(0).in();
        for (int k = 0; k < layers.size(); k++) {
            widths[k + 1] = layers.get(k).out();
        }
    }

    /** The closed form of a module made of ConcatSquash layers with one TANH/SOFTPLUS activation between them, or null. */
    static ClosedFormField of(TimeModule module) {
        if (!(module instanceof TimeSequential seq)) {
            return null;
        }
        List<ConcatSquashLinear> ls = new ArrayList<>();
        Activation act = null;
        List<TimeModule> children = seq.layers();
        for (int i = 0; i < children.size(); i++) {
            TimeModule m = children.get(i);
            boolean layerSlot = i % 2 == 0;
            if (layerSlot) {
                if (!(m instanceof ConcatSquashLinear c)) {
                    return null;
                }
                if (!ls.isEmpty() && ls.get(ls.size() - 1).out() != c.in()) {
                    return null;
                }
                ls.add(c);
            } else {
                if (!(m instanceof TimeModule.IgnoreTime it) || !(it.inner() instanceof Activation a)
                        || (a != Activation.TANH && a != Activation.SOFTPLUS) || (act != null && act != a)) {
                    return null;
                }
                act = a;
            }
        }
        if (ls.isEmpty() || children.size() % 2 == 0) {
            return null;
        }
        return new ClosedFormField(List.copyOf(ls), act == null ? Activation.TANH : act);
    }

    /** The parameters in the order {@link Forward#backward} returns their gradients: per layer W, b, s, w_g, b_g. */
    List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (ConcatSquashLinear l : layers) {
            ps.add(l.weight());
            ps.add(l.bias());
            ps.add(l.shift());
            ps.add(l.gateWeight());
            ps.add(l.gateBias());
        }
        return ps;
    }

    int inputDim() {
        return widths[0];
    }

    /**
     * Evaluates f and the probe products at time t.
     *
     * @param t      the solver time
     * @param z      state values [rows, D]
     * @param rows   B
     * @param probes P stacked probes [P·B, D] (row p·B + b is probe p of sample b), or null for none
     * @param count  P
     */
    Forward forward(double t, double[] z, int rows, double[] probes, int count) {
        return new Forward(t, z, rows, probes, count);
    }

    /** One evaluation's values, kept for its reverse sweep. */
    final class Forward {
        private final double t;
        private final int rows;
        private final int count;
        private final int layersN;
        private final double[][] what; // Ŵ_k [m, n]
        private final double[][] gate; // g_k [m]
        private final double[][] a;    // a_k [B, width_k], k = 0..L−1 (a_0 = z)
        private final double[][] d1;   // σ′(h_k) [B, width_k], k = 1..L−1
        private final double[][] delta; // δ_k [P·B, width_k], k = 1..L
        private final double[][] c;    // c_k [P·B, width_k], k = 0..L−1 (c_0 = v)
        final double[] f;              // [B, D]

        private Forward(double t, double[] z, int rows, double[] probes, int count) {
            this.t = t;
            this.rows = rows;
            this.count = probes == null ? 0 : count;
            int L = layers.size();
            this.layersN = L;
            what = new double[L + 1][];
            gate = new double[L + 1][];
            double[][] bhat = new double[L + 1][];
            for (int k = 1; k <= L; k++) {
                ConcatSquashLinear layer = layers.get(k - 1);
                int m = widths[k];
                int n = widths[k - 1];
                double[] w = layer.weight().value().toArray();
                double[] b = layer.bias().value().toArray();
                double[] s = layer.shift().value().toArray();
                double[] wg = layer.gateWeight().value().toArray();
                double[] bg = layer.gateBias().value().toArray();
                double[] u = new double[m];
                for (int i = 0; i < m; i++) {
                    u[i] = wg[i] * t + bg[i];
                }
                double[] g = new double[m];
                VecMathF64.sigmoid(u, 0, g, 0, m);
                double[] wh = new double[m * n];
                double[] bh = new double[m];
                for (int i = 0; i < m; i++) {
                    double gi = g[i];
                    for (int j = 0; j < n; j++) {
                        wh[i * n + j] = gi * w[i * n + j];
                    }
                    bh[i] = gi * b[i] + t * s[i];
                }
                what[k] = wh;
                gate[k] = g;
                bhat[k] = bh;
            }
            a = new double[L][];
            d1 = new double[L][];
            a[0] = z;
            double[] h = null;
            for (int k = 1; k <= L; k++) {
                int m = widths[k];
                int n = widths[k - 1];
                h = new double[rows * m];
                GemmF64.gemm(rows, m, n, a[k - 1], 0, false, what[k], 0, true, h, 0, false);
                double[] bh = bhat[k];
                for (int r = 0; r < rows; r++) {
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        h[o + i] += bh[i];
                    }
                }
                if (k < L) {
                    double[] ak = new double[rows * m];
                    double[] dk = new double[rows * m];
                    activate(h, ak, dk);
                    a[k] = ak;
                    d1[k] = dk;
                }
            }
            f = h;
            delta = new double[L + 1][];
            c = new double[L][];
            if (this.count > 0) {
                int pr = this.count * rows;
                delta[L] = probes;
                for (int k = L; k >= 1; k--) {
                    int m = widths[k];
                    int n = widths[k - 1];
                    double[] ck = new double[pr * n];
                    GemmF64.gemm(pr, n, m, delta[k], 0, false, what[k], 0, false, ck, 0, false);
                    c[k - 1] = ck;
                    if (k - 1 >= 1) {
                        double[] dk = new double[pr * n];
                        double[] p = d1[k - 1];
                        int block = rows * n;
                        for (int q = 0; q < this.count; q++) {
                            int off = q * block;
                            for (int i = 0; i < block; i++) {
                                dk[off + i] = ck[off + i] * p[i];
                            }
                        }
                        delta[k - 1] = dk;
                    }
                }
            }
        }

        /** σ(h) into a, σ′(h) into d. */
        private void activate(double[] h, double[] out, double[] d) {
            int n = h.length;
            if (activation == Activation.TANH) {
                VecMathF64.tanh(h, 0, out, 0, n);
                for (int i = 0; i < n; i++) {
                    d[i] = 1.0 - out[i] * out[i];
                }
            } else {
                VecMathF64.softplus(h, 0, out, 0, n);
                VecMathF64.sigmoid(h, 0, d, 0, n);
            }
        }

        /** σ″ at layer k from the stored a_k and σ′_k: tanh −2aσ′, softplus σ′(1 − σ′). */
        private double second(int k, int i) {
            double p = d1[k][i];
            return activation == Activation.TANH ? -2.0 * a[k][i] * p : p * (1.0 - p);
        }

        /** The probe products v = c_0, [P·B, D]. */
        double[] probeProducts() {
            return c[0];
        }

        /**
         * The reverse sweep: gradients of Σ F̃·f + Σ_j V̄_j·v_j with respect to z and to every parameter.
         *
         * @param fBar cotangent of f [B, D]
         * @param vBar cotangents of the probe products [P·B, D], or null when there are no probes
         * @return z̄ [B, D], then per layer W̄, b̄, s̄, w̄_g, b̄_g (flat, in {@link #parameters()} order)
         */
        double[][] backward(double[] fBar, double[] vBar) {
            int L = layersN;
            double[][] whBar = new double[L + 1][];
            double[][] bhBar = new double[L + 1][];
            for (int k = 1; k <= L; k++) {
                whBar[k] = new double[widths[k] * widths[k - 1]];
                bhBar[k] = new double[widths[k]];
            }
            double[][] pBar = new double[L][];
            if (count > 0 && vBar != null) {
                int pr = count * rows;
                double[] cBar = vBar;
                for (int k = 1; k <= L; k++) {
                    int m = widths[k];
                    int n = widths[k - 1];
                    // Ŵ̄_k += δ_kᵀ c̄_{k−1}: [m, P·B]·[P·B, n].
                    GemmF64.gemm(m, n, pr, delta[k], 0, true, cBar, 0, false, whBar[k], 0, true);
                    if (k < L) {
                        double[] dBar = new double[pr * m];
                        GemmF64.gemm(pr, m, n, cBar, 0, false, what[k], 0, true, dBar, 0, false);
                        double[] p = d1[k];
                        double[] ck = c[k];
                        double[] pb = new double[rows * m];
                        double[] next = new double[pr * m];
                        int block = rows * m;
                        for (int q = 0; q < count; q++) {
                            int off = q * block;
                            for (int i = 0; i < block; i++) {
                                double db = dBar[off + i];
                                next[off + i] = db * p[i];
                                pb[i] += db * ck[off + i];
                            }
                        }
                        pBar[k] = pb;
                        cBar = next;
                    }
                }
            }
            double[] hBar = fBar;
            double[] zBar = null;
            for (int k = L; k >= 1; k--) {
                int m = widths[k];
                int n = widths[k - 1];
                GemmF64.gemm(m, n, rows, hBar, 0, true, a[k - 1], 0, false, whBar[k], 0, true);
                double[] bb = bhBar[k];
                for (int r = 0; r < rows; r++) {
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        bb[i] += hBar[o + i];
                    }
                }
                double[] aBar = new double[rows * n];
                GemmF64.gemm(rows, n, m, hBar, 0, false, what[k], 0, false, aBar, 0, false);
                if (k - 1 >= 1) {
                    double[] p = d1[k - 1];
                    double[] pb = pBar[k - 1];
                    for (int i = 0; i < aBar.length; i++) {
                        double v = aBar[i] * p[i];
                        if (pb != null) {
                            v += pb[i] * second(k - 1, i);
                        }
                        aBar[i] = v;
                    }
                    hBar = aBar;
                } else {
                    zBar = aBar;
                }
            }
            double[][] out = new double[1 + 5 * L][];
            out[0] = zBar;
            for (int k = 1; k <= L; k++) {
                ConcatSquashLinear layer = layers.get(k - 1);
                int m = widths[k];
                int n = widths[k - 1];
                double[] w = layer.weight().value().toArray();
                double[] b = layer.bias().value().toArray();
                double[] g = gate[k];
                double[] wBar = new double[m * n];
                double[] bBar = new double[m];
                double[] sBar = new double[m];
                double[] wgBar = new double[m];
                double[] bgBar = new double[m];
                double[] wh = whBar[k];
                double[] bh = bhBar[k];
                for (int i = 0; i < m; i++) {
                    double gi = g[i];
                    double gBar = 0;
                    for (int j = 0; j < n; j++) {
                        double x = wh[i * n + j];
                        wBar[i * n + j] = gi * x;
                        gBar += x * w[i * n + j];
                    }
                    bBar[i] = gi * bh[i];
                    gBar += bh[i] * b[i];
                    sBar[i] = t * bh[i];
                    double uBar = gBar * gi * (1.0 - gi);
                    wgBar[i] = t * uBar;
                    bgBar[i] = uBar;
                }
                int at = 1 + 5 * (k - 1);
                out[at] = wBar;
                out[at + 1] = bBar;
                out[at + 2] = sBar;
                out[at + 3] = wgBar;
                out[at + 4] = bgBar;
            }
            return out;
        }
    }

    /** Tensors of the flat gradients returned by {@link Forward#backward}, in the parameters' shapes. */
    List<Tensor> gradientTensors(double[][] flat, Tensor z) {
        List<Tensor> out = new ArrayList<>(flat.length);
        out.add(Tensor.of(flat[0], z.shape().dims()));
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            out.add(Tensor.of(flat[i + 1], ps.get(i).shape().dims()));
        }
        return out;
    }
}
