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
 * differentiates through t) also uses the autodiff path. Per-sample step control evaluates rows at their own
 * times through {@link RowsForward} (the gate applied per row instead of folded into the weights), with its own
 * reverse sweep. Tested against autodiff to 1e-12 (values) and 1e-10
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
     * @param reuse  values only (no reverse sweep will follow): intermediates go to reused scratch arrays, and the
     *               results are valid until the next evaluation
     */
    Forward forward(double t, double[] z, int rows, double[] probes, int count, boolean reuse) {
        return new Forward(t, z, rows, probes, count, reuse);
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

    /**
     * An evaluation with a time per row (per-sample step control, torchode semantics): row r at time t[r]. The gate
     * then differs per row, so it is not folded into the weights: h_k = g_k(t_r) ⊙ (a_{k−1} W_kᵀ + b_k) + t_r·s_k,
     * and the probe pass gates the cotangent before the product with W_k: c_{k−1} = (δ_k ⊙ g_k(t_r)) W_k. Same
     * GEMM sizes as {@link #forward}, plus one sigmoid per row and unit for the gates.
     *
     * @param probes as for {@link #forward}: [P·rows, D], row p·rows + r is probe p of row r, or null
     * @param reuse  values only: intermediates in this field's scratch arrays, valid until the next evaluation
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
                double[] g = array(reuse, GATE, k, rows * m);
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        g[o + i] = wg[i] * tr + bg[i];
                    }
                }
                VecMathF64.sigmoid(g, 0, g, 0, rows * m);
                gate[k] = g;
                double[] p = array(reuse, PRE, k, rows * m);
                fillRows(p, b, rows, m);
                GemmF64.gemm(rows, m, n, a[k - 1], 0, false, layer.weight().value().toArray(), 0, true, p, 0, true);
                pre[k] = p;
                h = array(reuse, H, k, rows * m);
                for (int r = 0; r < rows; r++) {
                    double tr = t[r];
                    int o = r * m;
                    for (int i = 0; i < m; i++) {
                        h[o + i] = g[o + i] * p[o + i] + tr * sh[i];
                    }
                }
                if (k < L) {
                    double[] ak = array(reuse, A, k, rows * m);
                    double[] dk = array(reuse, D1, k, rows * m);
                    activate(h, ak, dk);
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
                    double[] gk = array(reuse, GATED, k, pr * m);
                    mulRepeated(delta[k], gate[k], gk, this.count, rows * m);
                    gated[k] = gk;
                    double[] ck = array(reuse, C, k, pr * n);
                    GemmF64.gemm(pr, n, m, gk, 0, false, layers.get(k - 1).weight().value().toArray(), 0, false, ck, 0, false);
                    c[k - 1] = ck;
                    if (k - 1 >= 1) {
                        double[] dk = array(reuse, DELTA, k, pr * n);
                        mulRepeated(ck, d1[k - 1], dk, this.count, rows * n);
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
                        throughProbeActivation(dBar, d1[k], c[k], next, pb, count, rows * m);
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
                    throughActivation(aBar, a[k - 1], d1[k - 1], pBar[k - 1], activation == Activation.TANH);
                    hBar = aBar;
                } else {
                    out[0] = aBar;
                }
            }
            return out;
        }
    }

    /** Arrays reused by values-only evaluations, whose intermediates die with the evaluation; by role and layer. */
    private final java.util.Map<Integer, double[]> scratch = new java.util.HashMap<>();

    private static final int H = 0;
    private static final int A = 1;
    private static final int D1 = 2;
    private static final int C = 3;
    private static final int DELTA = 4;
    private static final int GATE = 5;
    private static final int GATED = 6;
    private static final int PRE = 7;

    /** A new array, or (reuse) this field's scratch array for the slot; callers overwrite every entry. */
    private double[] array(boolean reuse, int role, int layer, int size) {
        if (!reuse) {
            return new double[size];
        }
        int key = role * 1024 + layer;
        double[] v = scratch.get(key);
        if (v == null || v.length != size) {
            v = new double[size];
            scratch.put(key, v);
        }
        return v;
    }

    /** One evaluation's values, kept for its reverse sweep. */
    final class Forward {
        private final double t;
        private final int rows;
        private final int count;
        private final int layersN;
        private final double[][] what; // Ŵ_k [m, n]
        private final double[][] whatT; // Ŵ_kᵀ [n, m]: products with Ŵ_k run as A·Bᵀ, the GEMM kernel's fastest form
        private final double[][] gate; // g_k [m]
        private final double[][] a;    // a_k [B, width_k], k = 0..L−1 (a_0 = z)
        private final double[][] d1;   // σ′(h_k) [B, width_k], k = 1..L−1
        private final double[][] delta; // δ_k [P·B, width_k], k = 1..L
        private final double[][] c;    // c_k [P·B, width_k], k = 0..L−1 (c_0 = v)
        final double[] f;              // [B, D]

        private Forward(double t, double[] z, int rows, double[] probes, int count, boolean reuse) {
            this.t = t;
            this.rows = rows;
            this.count = probes == null ? 0 : count;
            int L = layers.size();
            this.layersN = L;
            what = new double[L + 1][];
            whatT = new double[L + 1][];
            gate = new double[L + 1][];
            double[][] bhat = new double[L + 1][];
            for (int k = 1; k <= L; k++) {
                ConcatSquashLinear layer = layers.get(k - 1);
                int m = widths[k];
                int n = widths[k - 1];
                gate[k] = gate(layer, t, m);
                what[k] = new double[m * n];
                whatT[k] = new double[n * m];
                bhat[k] = new double[m];
                effective(layer, gate[k], t, m, n, what[k], whatT[k], bhat[k]);
            }
            a = new double[L][];
            d1 = new double[L][];
            a[0] = z;
            double[] h = null;
            for (int k = 1; k <= L; k++) {
                int m = widths[k];
                int n = widths[k - 1];
                h = array(reuse, H, k, rows * m);
                fillRows(h, bhat[k], rows, m);
                timesTransposed(rows, k, a[k - 1], h, true);
                if (k < L) {
                    double[] ak = array(reuse, A, k, rows * m);
                    double[] dk = array(reuse, D1, k, rows * m);
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
                    double[] ck = array(reuse, C, k, pr * n);
                    times(pr, k, delta[k], ck);
                    c[k - 1] = ck;
                    if (k - 1 >= 1) {
                        double[] dk = array(reuse, DELTA, k, pr * n);
                        mulRepeated(ck, d1[k - 1], dk, this.count, rows * n);
                        delta[k - 1] = dk;
                    }
                }
            }
        }

        /**
         * out [r, n_k] = x [r, m_k]·Ŵ_k. Stored as A·Bᵀ with Ŵ_kᵀ, the kernel's fastest form, except for an inner
         * size below 8 (the 2-D input and output layers), where the plain product with Ŵ_k is faster.
         */
        private void times(int r, int k, double[] x, double[] out) {
            int m = widths[k];
            int n = widths[k - 1];
            if (m < 8) {
                GemmF64.gemm(r, n, m, x, 0, false, what[k], 0, false, out, 0, false);
            } else {
                GemmF64.gemm(r, n, m, x, 0, false, whatT[k], 0, true, out, 0, false);
            }
        }

        /** out [r, m_k] (+)= x [r, n_k]·Ŵ_kᵀ, with the same choice of form as {@link #times}. */
        private void timesTransposed(int r, int k, double[] x, double[] out, boolean accumulate) {
            int m = widths[k];
            int n = widths[k - 1];
            if (n < 8) {
                GemmF64.gemm(r, m, n, x, 0, false, whatT[k], 0, false, out, 0, accumulate);
            } else {
                GemmF64.gemm(r, m, n, x, 0, false, what[k], 0, true, out, 0, accumulate);
            }
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
                        timesTransposed(pr, k, cBar, dBar, false);
                        double[] pb = new double[rows * m];
                        double[] next = new double[pr * m];
                        throughProbeActivation(dBar, d1[k], c[k], next, pb, count, rows * m);
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
                addRows(hBar, bhBar[k], rows, m);
                double[] aBar = new double[rows * n];
                times(rows, k, hBar, aBar);
                if (k - 1 >= 1) {
                    throughActivation(aBar, a[k - 1], d1[k - 1], pBar[k - 1], activation == Activation.TANH);
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

    /** Every row of h [rows, m] set to b. */
    private static void fillRows(double[] h, double[] b, int rows, int m) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, h, r * m, m);
        }
    }

    /** out = x ⊙ p for each of {@code copies} stacked blocks of x, p one block. */
    private static void mulRepeated(double[] x, double[] p, double[] out, int copies, int block) {
        for (int q = 0; q < copies; q++) {
            int off = q * block;
            for (int i = 0; i < block; i++) {
                out[off + i] = x[off + i] * p[i];
            }
        }
    }

    /** Reverse of δ = c ⊙ σ′ for stacked probes: c̄ = δ̄ ⊙ σ′ into next, and Σ_probes δ̄ ⊙ c added to pBar. */
    private static void throughProbeActivation(double[] dBar, double[] p, double[] c, double[] next, double[] pBar,
                                               int copies, int block) {
        for (int q = 0; q < copies; q++) {
            int off = q * block;
            for (int i = 0; i < block; i++) {
                double db = dBar[off + i];
                next[off + i] = db * p[i];
                pBar[i] += db * c[off + i];
            }
        }
    }

    /** b̄ += Σ_rows h̄. */
    private static void addRows(double[] h, double[] b, int rows, int m) {
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            for (int i = 0; i < m; i++) {
                b[i] += h[o + i];
            }
        }
    }

    /**
     * h̄ = ā ⊙ σ′ + p̄ ⊙ σ″ in place, σ″ from the stored a and σ′: tanh −2aσ′, softplus σ′(1 − σ′). p̄ may be null
     * (no probes).
     */
    private static void throughActivation(double[] aBar, double[] act, double[] p, double[] pBar, boolean tanh) {
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
