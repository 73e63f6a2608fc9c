package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ConcatSquashLinear;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeModule;
import org.neuralode4j.nn.TimeSequential;
import org.neuralode4j.tensor.DType;
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
 * differentiates through t) also uses the autodiff path. Per-sample step control evaluates rows at their own
 * times through {@link RowsForward} (the gate applied per row instead of folded into the weights), with its own
 * reverse sweep. Tested against autodiff to 1e-12 (values) and 1e-10
 * (gradients) in float64.
 *
 * <p>The shared-time evaluation runs its row blocks in the state's precision through {@link RowBlocks} (float32
 * doubles the SIMD lanes of W2's [512, 64] products); the per-row-time evaluation computes in double.
 */
final class ClosedFormField {
    private final List<ConcatSquashLinear> layers;
    private final Activation activation;
    private final int[] widths;
    /** Row blocks and scratch per precision; float32's made on first use. */
    private final RowBlocks.F64 f64;
    private RowBlocks.F32 f32;

    private ClosedFormField(List<ConcatSquashLinear> layers, Activation activation) {
        this.layers = layers;
        this.activation = activation;
        this.widths = new int[layers.size() + 1];
        this.f64 = new RowBlocks.F64(layers.size());
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
     * @param dtype  the precision of the row blocks (the state's; parameter-sized work is double either way)
     * @param t      the solver time
     * @param z      state values [rows, D]
     * @param rows   B
     * @param probes P stacked probes [P·B, D] (row p·B + b is probe p of sample b), or null for none
     * @param count  P
     * @param reuse  intermediates go to reused scratch arrays, so the results, and the reverse sweep, are valid only
     *               until the next evaluation: for values only, or for a sweep that follows at once (an adjoint's
     *               vector–Jacobian product)
     */
    Forward<?> forward(DType dtype, double t, double[] z, int rows, double[] probes, int count, boolean reuse) {
        if (dtype == DType.F32) {
            if (f32 == null) {
                f32 = new RowBlocks.F32(layers.size());
            }
            return new Forward<>(f32, t, z, rows, probes, count, reuse);
        }
        return new Forward<>(f64, t, z, rows, probes, count, reuse);
    }

    /**
     * An evaluation with a time per row (per-sample step control, torchode semantics): row r at time t[r]. The gate
     * then differs per row, so it is not folded into the weights: h_k = g_k(t_r) ⊙ (a_{k−1} W_kᵀ + b_k) + t_r·s_k,
     * and the probe pass gates the cotangent before the product with W_k: c_{k−1} = (δ_k ⊙ g_k(t_r)) W_k. Same
     * GEMM sizes as {@link #forward}, plus one sigmoid per row and unit for the gates.
     *
     * @param probes as for {@link #forward}: [P·rows, D], row p·rows + r is probe p of row r, or null
     * @param reuse  as for {@link #forward}: intermediates in this field's scratch arrays, valid (values and sweep)
     *               until the next evaluation
     */
    RowsForward forwardRows(double[] t, double[] z, int rows, double[] probes, int count, boolean reuse) {
        return new RowsForward(t, z, rows, probes, count, reuse);
    }

    /** One evaluation with a time per row, kept for its reverse sweep. */
    final class RowsForward {
        private final double[] t;
        private final int rows;
        private final int count;
        private final double[][] gate;  // g_k [B, m]
        private final double[][] pre;   // a_{k−1} W_kᵀ + b_k [B, m] (before gate and shift)
        private final double[][] a;     // a_k [B, width_k], k = 0..L−1
        private final double[][] d1;    // σ′(h_k), k = 1..L−1
        private final double[][] delta; // δ_k [P·B, m], k = 1..L (δ_L = the probes)
        private final double[][] gated; // γ_k = δ_k ⊙ g_k
        private final double[][] c;     // c_k [P·B, width_k], k = 0..L−1
        final double[] f;

        private RowsForward(double[] t, double[] z, int rows, double[] probes, int count, boolean reuse) {
            this.t = t;
            this.rows = rows;
            this.count = probes == null ? 0 : count;
            int L = layers.size();
            gate = new double[L + 1][];
            pre = new double[L + 1][];
            a = new double[L][];
            d1 = new double[L][];
            a[0] = z;
            double[] h = null;
            for (int k = 1; k <= L; k++) {
                ConcatSquashLinear layer = layers.get(k - 1);
                int m = widths[k];
                int n = widths[k - 1];
                double[] b = layer.bias().value().toArray();
                double[] sh = layer.shift().value().toArray();
                double[] wg = layer.gateWeight().value().toArray();
                double[] bg = layer.gateBias().value().toArray();
                double[] g = f64.array(reuse, RowBlocks.GATE, k, rows * m);
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        g[o + i] = wg[i] * tr + bg[i];
                    }
                }
                VecMathF64.sigmoid(g, 0, g, 0, rows * m);
                gate[k] = g;
                double[] p = f64.array(reuse, RowBlocks.PRE, k, rows * m);
                f64.fillRows(p, b, rows, m);
                GemmF64.gemm(rows, m, n, a[k - 1], 0, false, layer.weight().value().toArray(), 0, true, p, 0, true);
                pre[k] = p;
                h = f64.array(reuse, RowBlocks.H, k, rows * m);
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        h[o + i] = g[o + i] * p[o + i] + tr * sh[i];
                    }
                }
                if (k < L) {
                    double[] ak = f64.array(reuse, RowBlocks.ACT, k, rows * m);
                    double[] dk = f64.array(reuse, RowBlocks.D1, k, rows * m);
                    f64.activate(activation, h, ak, dk);
                    a[k] = ak;
                    d1[k] = dk;
                }
            }
            f = h;
            delta = new double[L + 1][];
            gated = new double[L + 1][];
            c = new double[L][];
            if (this.count > 0) {
                int pr = this.count * rows;
                delta[L] = probes;
                for (int k = L; k >= 1; k--) {
                    int m = widths[k];
                    int n = widths[k - 1];
                    double[] gk = f64.array(reuse, RowBlocks.GATED, k, pr * m);
                    f64.mulRepeated(delta[k], gate[k], gk, this.count, rows * m);
                    gated[k] = gk;
                    double[] ck = f64.array(reuse, RowBlocks.C, k, pr * n);
                    GemmF64.gemm(pr, n, m, gk, 0, false, layers.get(k - 1).weight().value().toArray(), 0, false, ck, 0, false);
                    c[k - 1] = ck;
                    if (k - 1 >= 1) {
                        double[] dk = f64.array(reuse, RowBlocks.DELTA, k, pr * n);
                        f64.mulRepeated(ck, d1[k - 1], dk, this.count, rows * n);
                        delta[k - 1] = dk;
                    }
                }
            }
        }

        /** The probe products v = c_0, [P·B, D], or null without probes. */
        double[] probeProducts() {
            return count > 0 ? c[0] : null;
        }

        /**
         * The reverse sweep, as {@link Forward#backward} but with per-row gates: the gate's cotangent is gathered
         * per row (ḡ_r = h̄_r ⊙ pre_r + Σ_p γ̄_{p,r} ⊙ δ_{p,r}) and mapped to w_g, b_g with each row's own t.
         */
        double[][] backward(double[] fBar, double[] vBar) {
            int L = layers.size();
            double[][] wBarK = new double[L + 1][];
            double[][] gBar = new double[L + 1][];
            for (int k = 1; k <= L; k++) {
                wBarK[k] = new double[widths[k] * widths[k - 1]];
                gBar[k] = new double[rows * widths[k]];
            }
            double[][] pBar = new double[L][];
            if (count > 0 && vBar != null) {
                int pr = count * rows;
                double[] cBar = vBar;
                for (int k = 1; k <= L; k++) {
                    int m = widths[k];
                    int n = widths[k - 1];
                    double[] w = layers.get(k - 1).weight().value().toArray();
                    // c_{k−1} = γ_k W: W̄ += γ_kᵀ c̄_{k−1}, γ̄_k = c̄_{k−1} Wᵀ.
                    GemmF64.gemm(m, n, pr, gated[k], 0, true, cBar, 0, false, wBarK[k], 0, true);
                    if (k < L) {
                        double[] gammaBar = new double[pr * m];
                        GemmF64.gemm(pr, m, n, cBar, 0, false, w, 0, true, gammaBar, 0, false);
                        // γ = δ ⊙ g: δ̄ = γ̄ ⊙ g, ḡ += Σ_p γ̄ ⊙ δ.
                        double[] dBar = new double[pr * m];
                        double[] gk = gate[k];
                        double[] gb = gBar[k];
                        double[] dk = delta[k];
                        int block = rows * m;
                        for (int q = 0; q < count; q++) {
                            int off = q * block;
                            for (int i = 0; i < block; i++) {
                                double yb = gammaBar[off + i];
                                dBar[off + i] = yb * gk[i];
                                gb[i] += yb * dk[off + i];
                            }
                        }
                        double[] pb = new double[rows * m];
                        double[] next = new double[pr * m];
                        f64.throughProbeActivation(dBar, d1[k], c[k], next, pb, count, rows * m);
                        pBar[k] = pb;
                        cBar = next;
                    } else {
                        // δ_L is the constant probe; only the gate receives the cotangent.
                        double[] gammaBar = new double[pr * m];
                        GemmF64.gemm(pr, m, n, cBar, 0, false, w, 0, true, gammaBar, 0, false);
                        double[] gb = gBar[k];
                        double[] dk = delta[k];
                        int block = rows * m;
                        for (int q = 0; q < count; q++) {
                            int off = q * block;
                            for (int i = 0; i < block; i++) {
                                gb[i] += gammaBar[off + i] * dk[off + i];
                            }
                        }
                    }
                }
            }
            double[][] out = new double[1 + 5 * L][];
            double[] hBar = fBar;
            for (int k = L; k >= 1; k--) {
                int m = widths[k];
                int n = widths[k - 1];
                ConcatSquashLinear layer = layers.get(k - 1);
                double[] g = gate[k];
                double[] p = pre[k];
                double[] gb = gBar[k];
                double[] preBar = new double[rows * m];
                double[] bBar = new double[m];
                double[] sBar = new double[m];
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        double hb = hBar[o + i];
                        preBar[o + i] = hb * g[o + i];
                        gb[o + i] += hb * p[o + i];
                        sBar[i] += tr * hb;
                        bBar[i] += preBar[o + i];
                    }
                }
                GemmF64.gemm(m, n, rows, preBar, 0, true, a[k - 1], 0, false, wBarK[k], 0, true);
                double[] aBar = new double[rows * n];
                GemmF64.gemm(rows, n, m, preBar, 0, false, layer.weight().value().toArray(), 0, false, aBar, 0, false);
                double[] wgBar = new double[m];
                double[] bgBar = new double[m];
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        double gi = g[o + i];
                        double uBar = gb[o + i] * gi * (1.0 - gi);
                        wgBar[i] += tr * uBar;
                        bgBar[i] += uBar;
                    }
                }
                int at = 1 + 5 * (k - 1);
                out[at] = wBarK[k];
                out[at + 1] = bBar;
                out[at + 2] = sBar;
                out[at + 3] = wgBar;
                out[at + 4] = bgBar;
                if (k - 1 >= 1) {
                    f64.throughActivation(aBar, a[k - 1], d1[k - 1], pBar[k - 1], activation == Activation.TANH);
                    hBar = aBar;
                } else {
                    out[0] = aBar;
                }
            }
            return out;
        }
    }

    /**
     * One evaluation's values, kept for its reverse sweep, with its row blocks in the precision of {@code ops}.
     * Inputs and outputs are double (the width-D state, probes, f and v, whose conversion is O(rows·D)).
     */
    final class Forward<A> {
        private final RowBlocks<A> ops;
        private final double t;
        private final int rows;
        private final int count;
        private final int layersN;
        private final A[] what;        // Ŵ_k [m, n]
        private final A[] whatT;       // Ŵ_kᵀ [n, m]: products with Ŵ_k run as A·Bᵀ, the GEMM kernel's fastest form
        private final double[][] gate; // g_k [m]
        private final A[] a;           // a_k [B, width_k], k = 0..L−1 (a_0 = z)
        private final A[] d1;          // σ′(h_k) [B, width_k], k = 1..L−1
        private final A[] delta;       // δ_k [P·B, width_k], k = 1..L
        private final A[] c;           // c_k [P·B, width_k], k = 0..L−1 (c_0 = v)
        final double[] f;              // [B, D]
        private final double[] v;      // c_0 as doubles, or null without probes

        private Forward(RowBlocks<A> ops, double t, double[] z, int rows, double[] probes, int count, boolean reuse) {
            this.ops = ops;
            this.t = t;
            this.rows = rows;
            this.count = probes == null ? 0 : count;
            int L = layers.size();
            this.layersN = L;
            what = ops.slots(L + 1);
            whatT = ops.slots(L + 1);
            gate = new double[L + 1][];
            A[] bhat = ops.slots(L + 1);
            for (int k = 1; k <= L; k++) {
                ConcatSquashLinear layer = layers.get(k - 1);
                int m = widths[k];
                int n = widths[k - 1];
                gate[k] = gate(layer, t, m);
                double[] wh = new double[m * n];
                double[] wt = new double[n * m];
                double[] bh = new double[m];
                effective(layer, gate[k], t, m, n, wh, wt, bh);
                what[k] = ops.from(wh);
                whatT[k] = ops.from(wt);
                bhat[k] = ops.from(bh);
            }
            a = ops.slots(L);
            d1 = ops.slots(L);
            a[0] = ops.from(z);
            A h = null;
            for (int k = 1; k <= L; k++) {
                int m = widths[k];
                h = ops.array(reuse, RowBlocks.H, k, rows * m);
                ops.fillRows(h, bhat[k], rows, m);
                timesTransposed(rows, k, a[k - 1], h, true);
                if (k < L) {
                    A ak = ops.array(reuse, RowBlocks.ACT, k, rows * m);
                    A dk = ops.array(reuse, RowBlocks.D1, k, rows * m);
                    ops.activate(activation, h, ak, dk);
                    a[k] = ak;
                    d1[k] = dk;
                }
            }
            f = ops.toDouble(h);
            delta = ops.slots(L + 1);
            c = ops.slots(L);
            if (this.count > 0) {
                int pr = this.count * rows;
                delta[L] = ops.from(probes);
                for (int k = L; k >= 1; k--) {
                    int n = widths[k - 1];
                    A ck = ops.array(reuse, RowBlocks.C, k, pr * n);
                    times(pr, k, delta[k], ck);
                    c[k - 1] = ck;
                    if (k - 1 >= 1) {
                        A dk = ops.array(reuse, RowBlocks.DELTA, k, pr * n);
                        ops.mulRepeated(ck, d1[k - 1], dk, this.count, rows * n);
                        delta[k - 1] = dk;
                    }
                }
                v = ops.toDouble(c[0]);
            } else {
                v = null;
            }
        }

        /**
         * out [r, n_k] = x [r, m_k]·Ŵ_k. Stored as A·Bᵀ with Ŵ_kᵀ, the kernel's fastest form, except for an inner
         * size below 8 (the 2-D input and output layers), where the plain product with Ŵ_k is faster.
         */
        private void times(int r, int k, A x, A out) {
            int m = widths[k];
            int n = widths[k - 1];
            if (m < 8) {
                ops.gemm(r, n, m, x, false, what[k], false, out, false);
            } else {
                ops.gemm(r, n, m, x, false, whatT[k], true, out, false);
            }
        }

        /** out [r, m_k] (+)= x [r, n_k]·Ŵ_kᵀ, with the same choice of form as {@link #times}. */
        private void timesTransposed(int r, int k, A x, A out, boolean accumulate) {
            int m = widths[k];
            int n = widths[k - 1];
            if (n < 8) {
                ops.gemm(r, m, n, x, false, whatT[k], false, out, accumulate);
            } else {
                ops.gemm(r, m, n, x, false, what[k], true, out, accumulate);
            }
        }

        /** The probe products v = c_0, [P·B, D], or null without probes. */
        double[] probeProducts() {
            return v;
        }

        /**
         * The reverse sweep: gradients of Σ F̃·f + Σ_j V̄_j·v_j with respect to z and to every parameter. Its
         * temporaries live in the blocks' scratch (roles no forward uses), so only the results are allocated.
         *
         * @param fBar cotangent of f [B, D]
         * @param vBar cotangents of the probe products [P·B, D], or null when there are no probes
         * @return z̄ [B, D], then per layer W̄, b̄, s̄, w̄_g, b̄_g (flat, in {@link #parameters()} order)
         */
        double[][] backward(double[] fBar, double[] vBar) {
            int L = layersN;
            A[] whBar = ops.slots(L + 1);
            double[][] bhBar = new double[L + 1][];
            for (int k = 1; k <= L; k++) {
                whBar[k] = ops.alloc(widths[k] * widths[k - 1]);
                bhBar[k] = new double[widths[k]];
            }
            A[] pBar = ops.slots(L);
            if (count > 0 && vBar != null) {
                int pr = count * rows;
                A cBar = ops.from(vBar);
                for (int k = 1; k <= L; k++) {
                    int m = widths[k];
                    int n = widths[k - 1];
                    // Ŵ̄_k += δ_kᵀ c̄_{k−1}: [m, P·B]·[P·B, n].
                    ops.gemm(m, n, pr, delta[k], true, cBar, false, whBar[k], true);
                    if (k < L) {
                        A dBar = ops.array(true, RowBlocks.D_BAR, k, pr * m);
                        timesTransposed(pr, k, cBar, dBar, false);
                        A pb = ops.array(true, RowBlocks.P_BAR, k, rows * m);
                        ops.fill(pb, 0);
                        A next = ops.array(true, RowBlocks.NEXT, k, pr * m);
                        ops.throughProbeActivation(dBar, d1[k], c[k], next, pb, count, rows * m);
                        pBar[k] = pb;
                        cBar = next;
                    }
                }
            }
            A hBar = ops.from(fBar);
            double[] zBar = null;
            for (int k = L; k >= 1; k--) {
                int m = widths[k];
                int n = widths[k - 1];
                ops.gemm(m, n, rows, hBar, true, a[k - 1], false, whBar[k], true);
                ops.addRows(hBar, bhBar[k], rows, m);
                A aBar = k - 1 >= 1 ? ops.array(true, RowBlocks.A_BAR, k, rows * n) : ops.alloc(rows * n);
                times(rows, k, hBar, aBar);
                if (k - 1 >= 1) {
                    ops.throughActivation(aBar, a[k - 1], d1[k - 1], pBar[k - 1], activation == Activation.TANH);
                    hBar = aBar;
                } else {
                    zBar = ops.toDouble(aBar);
                }
            }
            double[][] out = new double[1 + 5 * L][];
            out[0] = zBar;
            for (int k = 1; k <= L; k++) {
                int at = 1 + 5 * (k - 1);
                toParameters(layers.get(k - 1), gate[k], t, ops.toDouble(whBar[k]), bhBar[k], out, at);
            }
            return out;
        }
    }

    /**
     * Maps the cotangents of Ŵ = diag(g) W and b̂ = g ⊙ b + t·s back to W̄, b̄, s̄, w̄_g, b̄_g, written to
     * out[at..at+4].
     */
    private static void toParameters(ConcatSquashLinear layer, double[] g, double t, double[] wh, double[] bh,
                                     double[][] out, int at) {
        int m = layer.out();
        int n = layer.in();
        double[] w = layer.weight().value().toArray();
        double[] b = layer.bias().value().toArray();
        double[] wBar = new double[m * n];
        double[] bBar = new double[m];
        double[] sBar = new double[m];
        double[] wgBar = new double[m];
        double[] bgBar = new double[m];
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
        out[at] = wBar;
        out[at + 1] = bBar;
        out[at + 2] = sBar;
        out[at + 3] = wgBar;
        out[at + 4] = bgBar;
    }

    /** g = sig(w_g t + b_g), [m]. */
    private static double[] gate(ConcatSquashLinear layer, double t, int m) {
        double[] wg = layer.gateWeight().value().toArray();
        double[] bg = layer.gateBias().value().toArray();
        double[] u = new double[m];
        for (int i = 0; i < m; i++) {
            u[i] = wg[i] * t + bg[i];
        }
        double[] g = new double[m];
        VecMathF64.sigmoid(u, 0, g, 0, m);
        return g;
    }

    /** Ŵ = diag(g) W (and its transpose) and b̂ = g ⊙ b + t·s. */
    private static void effective(ConcatSquashLinear layer, double[] g, double t, int m, int n, double[] wh, double[] wt,
                                  double[] bh) {
        double[] w = layer.weight().value().toArray();
        double[] b = layer.bias().value().toArray();
        double[] s = layer.shift().value().toArray();
        for (int i = 0; i < m; i++) {
            double gi = g[i];
            int o = i * n;
            for (int j = 0; j < n; j++) {
                wh[o + j] = gi * w[o + j];
            }
            bh[i] = gi * b[i] + t * s[i];
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                wt[j * m + i] = wh[i * n + j];
            }
        }
    }

    /** Tensors of the flat gradients returned by {@link Forward#backward}, in the parameters' shapes. */
    List<Tensor> gradientTensors(double[][] flat, Tensor z) {
        List<Tensor> out = new ArrayList<>(flat.length);
        out.add(Tensor.of(z.dtype(), flat[0], z.shape().dims()));
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            out.add(Tensor.of(ps.get(i).dtype(), flat[i + 1], ps.get(i).shape().dims()));
        }
        return out;
    }
}
