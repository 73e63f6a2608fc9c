package org.neuralode4j.tensor;

import org.neuralode4j.tensor.Primitives.Binary;
import org.neuralode4j.tensor.Primitives.MlpTanhValues;
import org.neuralode4j.tensor.Primitives.Unary;
import org.neuralode4j.tensor.kernels.ConvNhwcF32;
import org.neuralode4j.tensor.kernels.GemmF32;
import org.neuralode4j.tensor.kernels.ScratchF32;
import org.neuralode4j.tensor.kernels.VecMathF32;

/**
 * The float32 evaluation of {@link Primitives}' hot ops (elementwise, reductions, products, the fused tanh
 * layers, convolution): the same loops over {@code float[]}, reached only through {@link Primitives}, which
 * checks dtypes and dispatches here. Constants (affine coefficients, combination weights) are rounded to float
 * once, so every multiply–add runs in float as PyTorch's float32 kernels do; full sums ({@link #sumAll}) are
 * accumulated in double and rounded once. Ops not listed here (permute, gathers, pooling, pow) run in float64 on
 * the widened values and round the result, exact for the selections and at least as accurate otherwise.
 */
final class PrimitivesF32 {
    private PrimitivesF32() {}

    /** Applies {@code op} elementwise with NumPy broadcasting. */
    static Tensor binary(Binary op, Tensor a, Tensor b) {
        Shape out = Shape.broadcast(op.name().toLowerCase(java.util.Locale.ROOT), a.shape(), b.shape());
        float[] x = a.f32();
        float[] y = b.f32();
        float[] r = new float[out.size()];
        int n = r.length;
        if (n == 0) {
            return Tensor.wrap(out, r);
        }
        if (x.length == n && y.length == n) {
            binaryLoop(op, x, 0, 1, y, 0, 1, r, 0, n);
        } else if (y.length == 1) {
            binaryLoop(op, x, 0, 1, y, 0, 0, r, 0, n);
        } else if (x.length == 1) {
            binaryLoop(op, x, 0, 0, y, 0, 1, r, 0, n);
        } else if (x.length == n && Primitives.isSuffix(b.shape(), out)) {
            // The common bias case [B, n] + [n]: b repeats every b.size elements.
            int m = y.length;
            if (op == Binary.ADD && m < SHORT_ROW) {
                addRepeating(x, y, r, n, m);
            } else {
                for (int o = 0; o < n; o += m) {
                    binaryLoop(op, x, o, 1, y, 0, 1, r, o, m);
                }
            }
        } else if (y.length == n && Primitives.isSuffix(a.shape(), out)) {
            int m = x.length;
            for (int o = 0; o < n; o += m) {
                binaryLoop(op, x, 0, 1, y, o, 1, r, o, m);
            }
        } else {
            int[] d = Primitives.padded(out);
            int[] sa = Primitives.broadcastStrides(a.shape());
            int[] sb = Primitives.broadcastStrides(b.shape());
            int o = 0;
            for (int i0 = 0; i0 < d[0]; i0++) {
                for (int i1 = 0; i1 < d[1]; i1++) {
                    for (int i2 = 0; i2 < d[2]; i2++) {
                        int ia = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                        int ib = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                        binaryLoop(op, x, ia, sa[3], y, ib, sb[3], r, o, d[3]);
                        o += d[3];
                    }
                }
            }
        }
        return Tensor.wrap(out, r);
    }

    /**
     * Rows shorter than this take {@link #addRepeating}: a call of the general loop per row (a switch, then a loop
     * C2 splits into pre-, vector and post-loops) costs more than a 16-value row (a conv bias over [B, 7, 7, 16]
     * spent 7% of a float32 W3 iteration there).
     */
    private static final int SHORT_ROW = 64;

    /** r = x + y with y [m] repeated along x [n/m, m]: one loop nest for the whole array. */
    private static void addRepeating(float[] x, float[] y, float[] r, int n, int m) {
        for (int o = 0; o < n; o += m) {
            for (int i = 0; i < m; i++) {
                r[o + i] = x[o + i] + y[i];
            }
        }
    }

    private static void binaryLoop(Binary op, float[] x, int xo, int xs, float[] y, int yo, int ys,
                                   float[] r, int ro, int n) {
        if (xs == 1 && ys == 1) {
            // Unit strides get their own loops: with i·xs indexing C2 does not vectorise them.
            contiguous(op, x, xo, y, yo, r, ro, n);
            return;
        }
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i * xs] + y[yo + i * ys];
                }
                break;
            case SUB:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i * xs] - y[yo + i * ys];
                }
                break;
            case MUL:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i * xs] * y[yo + i * ys];
                }
                break;
            case DIV:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i * xs] / y[yo + i * ys];
                }
                break;
            case TANH_BACKWARD:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i * ys];
                    r[ro + i] = x[xo + i * xs] * (1f - v * v);
                }
                break;
            case SIGMOID_BACKWARD:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i * ys];
                    r[ro + i] = x[xo + i * xs] * v * (1f - v);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void contiguous(Binary op, float[] x, int xo, float[] y, int yo, float[] r, int ro, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i] + y[yo + i];
                }
                break;
            case SUB:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i] - y[yo + i];
                }
                break;
            case MUL:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i] * y[yo + i];
                }
                break;
            case DIV:
                for (int i = 0; i < n; i++) {
                    r[ro + i] = x[xo + i] / y[yo + i];
                }
                break;
            case TANH_BACKWARD:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i];
                    r[ro + i] = x[xo + i] * (1f - v * v);
                }
                break;
            case SIGMOID_BACKWARD:
                for (int i = 0; i < n; i++) {
                    float v = y[yo + i];
                    r[ro + i] = x[xo + i] * v * (1f - v);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    static Tensor unary(Unary op, Tensor a) {
        float[] x = a.f32();
        float[] r = new float[x.length];
        int n = x.length;
        switch (op) {
            case NEG:
                for (int i = 0; i < n; i++) {
                    r[i] = -x[i];
                }
                break;
            case EXP:
                VecMathF32.exp(x, 0, r, 0, n);
                break;
            case LOG:
                VecMathF32.log(x, 0, r, 0, n);
                break;
            case TANH:
                VecMathF32.tanh(x, 0, r, 0, n);
                break;
            case SIGMOID:
                VecMathF32.sigmoid(x, 0, r, 0, n);
                break;
            case SOFTPLUS:
                VecMathF32.softplus(x, 0, r, 0, n);
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    r[i] = x[i] > 0 ? x[i] : (x[i] != x[i] ? x[i] : 0f);
                }
                break;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    r[i] = x[i] * x[i];
                }
                break;
            case SQRT:
                for (int i = 0; i < n; i++) {
                    r[i] = (float) Math.sqrt(x[i]);
                }
                break;
            case ABS:
                for (int i = 0; i < n; i++) {
                    r[i] = Math.abs(x[i]);
                }
                break;
            case SIGN:
                for (int i = 0; i < n; i++) {
                    r[i] = Math.signum(x[i]);
                }
                break;
            case POSITIVE_MASK:
                for (int i = 0; i < n; i++) {
                    r[i] = x[i] > 0 ? 1f : 0f;
                }
                break;
            default:
                throw new AssertionError(op);
        }
        return Tensor.wrap(a.shape(), r);
    }

    /** x·c + d elementwise. */
    /** c·a·b·y elementwise over equal shapes; see {@link Primitives#product3}. */
    static Tensor product3(Tensor a, Tensor b, Tensor y, double c) {
        float[] x1 = a.f32();
        float[] x2 = b.f32();
        float[] x3 = y.f32();
        float[] r = new float[x1.length];
        float cf = (float) c;
        for (int i = 0; i < r.length; i++) {
            r[i] = cf * x1[i] * x2[i] * x3[i];
        }
        return Tensor.wrap(a.shape(), r);
    }

    static Tensor affine(Tensor a, double c, double d) {
        float[] x = a.f32();
        float[] r = new float[x.length];
        float cf = (float) c;
        float df = (float) d;
        for (int i = 0; i < r.length; i++) {
            r[i] = x[i] * cf + df;
        }
        return Tensor.wrap(a.shape(), r);
    }

    /**
     * Σ_i c_i·t_i over equal-shaped tensors in one pass (Runge–Kutta stages, interpolants); terms whose
     * coefficient is 0 are skipped.
     */
    static Tensor linearCombination(double[] coeffs, Tensor[] terms) {
        if (coeffs.length != terms.length || terms.length == 0) {
            throw new ShapeException("linearCombination: " + coeffs.length + " coefficients for " + terms.length + " tensors");
        }
        Shape s = terms[0].shape();
        for (Tensor t : terms) {
            if (!t.shape().equals(s)) {
                throw ShapeException.of("linearCombination", "all terms must have the same shape",
                        java.util.Arrays.stream(terms).map(Tensor::shape).toArray(Shape[]::new));
            }
        }
        float[] r = new float[s.size()];
        int n = r.length;
        boolean first = true;
        for (int i = 0; i < terms.length; i++) {
            float c = (float) coeffs[i];
            if (c == 0f) {
                continue;
            }
            float[] x = terms[i].f32();
            if (first) {
                if (c == 1f) {
                    System.arraycopy(x, 0, r, 0, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        r[j] = c * x[j];
                    }
                }
                first = false;
            } else {
                for (int j = 0; j < n; j++) {
                    r[j] += c * x[j];
                }
            }
        }
        return Tensor.wrap(s, r);
    }

    /** Sums {@code a} down to {@code target}, a shape that broadcasts to a's shape (the transpose of broadcasting). */
    static Tensor sumTo(Tensor a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (!target.broadcastsTo(a.shape())) {
            throw ShapeException.of("sumTo", "target does not broadcast to the input", a.shape(), target);
        }
        float[] x = a.f32();
        float[] r = new float[target.size()];
        int m = r.length;
        if (m == 1) {
            r[0] = (float) sumRange(x, 0, x.length);
        } else if (Primitives.isSuffix(target, a.shape())) {
            for (int o = 0; o < x.length; o += m) {
                for (int i = 0; i < m; i++) {
                    r[i] += x[o + i];
                }
            }
        } else {
            int[] d = Primitives.padded(a.shape());
            int[] st = Primitives.broadcastStrides(target);
            int o = 0;
            for (int i0 = 0; i0 < d[0]; i0++) {
                for (int i1 = 0; i1 < d[1]; i1++) {
                    for (int i2 = 0; i2 < d[2]; i2++) {
                        int base = i0 * st[0] + i1 * st[1] + i2 * st[2];
                        if (st[3] == 0) {
                            r[base] += (float) sumRange(x, o, d[3]);
                        } else {
                            for (int i3 = 0; i3 < d[3]; i3++) {
                                r[base + i3] += x[o + i3];
                            }
                        }
                        o += d[3];
                    }
                }
            }
        }
        return Tensor.wrap(target, r);
    }

    private static double sumRange(float[] x, int from, int n) {
        // Four partial sums: fewer dependent adds (faster) and a little less rounding error than one chain.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + n;
        for (; i + 3 < end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Repeats {@code a} along broadcast dimensions to fill {@code target}. */
    static Tensor broadcastTo(Tensor a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (!a.shape().broadcastsTo(target)) {
            throw ShapeException.of("broadcastTo", "input does not broadcast to the target", a.shape(), target);
        }
        float[] x = a.f32();
        float[] r = new float[target.size()];
        int m = x.length;
        if (m == 1) {
            java.util.Arrays.fill(r, x[0]);
        } else if (Primitives.isSuffix(a.shape(), target)) {
            for (int o = 0; o < r.length; o += m) {
                System.arraycopy(x, 0, r, o, m);
            }
        } else {
            int[] d = Primitives.padded(target);
            int[] st = Primitives.broadcastStrides(a.shape());
            int o = 0;
            for (int i0 = 0; i0 < d[0]; i0++) {
                for (int i1 = 0; i1 < d[1]; i1++) {
                    for (int i2 = 0; i2 < d[2]; i2++) {
                        int base = i0 * st[0] + i1 * st[1] + i2 * st[2];
                        for (int i3 = 0; i3 < d[3]; i3++) {
                            r[o + i3] = x[base + i3 * st[3]];
                        }
                        o += d[3];
                    }
                }
            }
        }
        return Tensor.wrap(target, r);
    }

    /** Sum of all elements, as a scalar tensor. */
    static Tensor sumAll(Tensor a) {
        return Tensor.wrap(Shape.SCALAR, new float[] {(float) sumRange(a.f32(), 0, a.size())});
    }

    /**
     * op(a)·op(b) for rank 2 ([m, k]·[k, n]) or rank 3 with equal batch ([B, m, k]·[B, k, n]), where op
     * transposes the last two axes when its flag is set.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        int r = sa.rank();
        if (r < 2 || r > 3 || sb.rank() != r || (r == 3 && sa.dim(0) != sb.dim(0))) {
            throw ShapeException.of("matmul", "expected two rank-2 tensors or two rank-3 tensors with the same batch", sa, sb);
        }
        int batch = r == 3 ? sa.dim(0) : 1;
        int m = transA ? sa.dim(-1) : sa.dim(-2);
        int k = transA ? sa.dim(-2) : sa.dim(-1);
        int kb = transB ? sb.dim(-1) : sb.dim(-2);
        int n = transB ? sb.dim(-2) : sb.dim(-1);
        if (k != kb) {
            throw ShapeException.of("matmul", "inner dimensions differ (" + k + " vs " + kb + ")"
                    + (transA || transB ? " with transA=" + transA + ", transB=" + transB : ""), sa, sb);
        }
        float[] c = new float[batch * m * n];
        for (int i = 0; i < batch; i++) {
            GemmF32.gemm(m, n, k, a.f32(), i * m * k, transA, b.f32(), i * k * n, transB, c, i * m * n, false);
        }
        return Tensor.wrap(r == 3 ? Shape.of(batch, m, n) : Shape.of(m, n), c);
    }

    /**
     * x·Wᵀ + b in one pass: the output starts as the broadcast bias and the GEMM accumulates onto it (a linear
     * layer's forward; the separate bias add would be a second pass over a fresh array).
     *
     * @param x [B, in]
     * @param w [out, in]
     * @param b [out], or null
     */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        Shape sx = x.shape();
        Shape sw = w.shape();
        if (sx.rank() != 2 || sw.rank() != 2 || sx.dim(1) != sw.dim(1) || (b != null && (b.rank() != 1 || b.dim(0) != sw.dim(0)))) {
            Shape[] shapes = b == null ? new Shape[] {sx, sw} : new Shape[] {sx, sw, b.shape()};
            throw ShapeException.of("linear", "expected x [B, in], weight [out, in], bias [out]", shapes);
        }
        int m = sx.dim(0);
        int n = sw.dim(0);
        int k = sx.dim(1);
        float[] c = new float[m * n];
        if (b != null) {
            float[] bv = b.f32();
            for (int i = 0; i < m; i++) {
                System.arraycopy(bv, 0, c, i * n, n);
            }
        }
        GemmF32.gemm(m, n, k, x.f32(), 0, false, w.f32(), 0, true, c, 0, b != null);
        return Tensor.wrap(Shape.of(m, n), c);
    }

    /**
     * tanh(x·Wᵀ + b): {@link #linear} with tanh applied in place while the product is still in cache, saving the
     * pre-activation array and a pass over cold memory. Bit-identical to {@code unary(TANH, linear(x, w, b))}.
     */
    static Tensor linearTanh(Tensor x, Tensor w, Tensor b) {
        Tensor z = linear(x, w, b);
        float[] c = z.f32();
        VecMathF32.tanh(c, 0, c, 0, c.length);
        return z;
    }

    /**
     * First-order gradients of y = tanh(x·Wᵀ + b) given dL/dy = g, as {gx, gw, gb} (null where not wanted).
     * The pre-activation gradient g·(1 − y²) lives in per-thread scratch: it is formed together with its column
     * sums (the bias gradient) in one pass and read by both products while it is still in cache. Values only;
     * the recorded, differentiable form of the same rule is tanhBackward followed by linear's rule.
     */
    static Tensor[] linearTanhBackward(Tensor g, Tensor y, Tensor x, Tensor w, boolean needX, boolean needW,
                                              boolean needB) {
        int m = y.dim(0);
        int n = y.dim(1);
        int k = x.dim(1);
        float[] gv = g.f32();
        float[] yv = y.f32();
        float[] gp = ScratchF32.borrow(0, m * n);
        float[] gb = new float[n];
        VecMathF32.tanhBackwardRows(gv, yv, gp, gb, m, n);
        Tensor gx = null;
        Tensor gw = null;
        if (needX) {
            float[] c = new float[m * k];
            GemmF32.gemm(m, k, n, gp, 0, false, w.f32(), 0, false, c, 0, false);
            gx = Tensor.wrap(x.shape(), c);
        }
        if (needW) {
            float[] c = new float[n * k];
            GemmF32.gemm(n, k, m, gp, 0, true, x.f32(), 0, false, c, 0, false);
            gw = Tensor.wrap(w.shape(), c);
        }
        return new Tensor[] {gx, gw, needB ? Tensor.wrap(Shape.of(n), gb) : null};
    }

    /**
     * x → W_L·tanh(… tanh(W_1·x + b_1) …) + b_L, x [B, in], weights[l] [out_l, in_l], biases[l] [out_l]: the layers
     * of {@link #linearTanh} and a final {@link #linear}, the same arithmetic, so the output is bit-identical to the
     * unfused chain.
     */
    static MlpTanhValues mlpTanh(Tensor x, Tensor[] weights, Tensor[] biases) {
        int layers = weights.length;
        Tensor[] hidden = new Tensor[layers - 1];
        Tensor h = x;
        for (int l = 0; l < layers - 1; l++) {
            h = linearTanh(h, weights[l], biases[l]);
            hidden[l] = h;
        }
        return new MlpTanhValues(linear(h, weights[layers - 1], biases[layers - 1]), hidden);
    }

    /**
     * First-order gradients of {@link #mlpTanh} given dL/dy = g, as {gx, gW_1, gb_1, …, gW_L, gb_L}, null where
     * {@code need} (same layout) is false. From the last layer down: the pre-activation gradient gp_l (g itself for
     * the last layer, else g_h ⊙ (1 − h_l²), whose column sums are the bias gradient), gW_l = gp_lᵀ·in_l and
     * g_in = gp_l·W_l, stopping once nothing below is wanted. The B×width intermediates live in the two per-thread
     * scratch slots, alternating, so only the returned gradients are allocated: against the unfused chain of
     * recorded layers that saves two fresh B×width arrays and two tape nodes per evaluation.
     */
    static Tensor[] mlpTanhBackward(Tensor g, Tensor x, Tensor[] weights, Tensor[] hidden, boolean[] need) {
        int layers = weights.length;
        int m = g.dim(0);
        Tensor[] out = new Tensor[1 + 2 * layers];
        // below[l]: a gradient of x or of a layer under l is wanted, so g must be carried through layer l.
        boolean[] below = new boolean[layers];
        boolean any = need[0];
        for (int l = 0; l < layers; l++) {
            below[l] = any;
            any |= need[1 + 2 * l] || need[2 + 2 * l];
        }
        float[] gIn = g.f32();
        int slot = 0;
        for (int l = layers - 1; l >= 0; l--) {
            int n = weights[l].dim(0);
            int k = weights[l].dim(1);
            boolean needW = need[1 + 2 * l];
            boolean needB = need[2 + 2 * l];
            if (!needW && !needB && !below[l]) {
                break;
            }
            float[] gb = new float[n];
            float[] gp = gIn;
            if (l == layers - 1) {
                if (needB) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            gb[j] += gp[i * n + j];
                        }
                    }
                }
            } else {
                VecMathF32.tanhBackwardRows(gIn, hidden[l].f32(), gp, gb, m, n);
            }
            float[] in = l == 0 ? x.f32() : hidden[l - 1].f32();
            if (needW) {
                float[] c = new float[n * k];
                GemmF32.gemm(n, k, m, gp, 0, true, in, 0, false, c, 0, false);
                out[1 + 2 * l] = Tensor.wrap(weights[l].shape(), c);
            }
            if (needB) {
                out[2 + 2 * l] = Tensor.wrap(Shape.of(n), gb);
            }
            if (!below[l]) {
                break;
            }
            float[] next = l == 0 ? new float[m * k] : ScratchF32.borrow(slot, m * k);
            GemmF32.gemm(m, k, n, gp, 0, false, weights[l].f32(), 0, false, next, 0, false);
            if (l == 0) {
                out[0] = Tensor.wrap(x.shape(), next);
            }
            gIn = next;
            slot = 1 - slot;
        }
        return out;
    }

    /** NHWC convolution: x [N, H, W, C], w [KH, KW, C, F] → [N, OH, OW, F]. */
    static Tensor conv2d(Tensor x, Tensor w, int stride, int pad) {
        Primitives.checkConv("conv2d", x.shape(), w.shape());
        if (stride < 1 || pad < 0) {
            throw ShapeException.of("conv2d", "stride must be >= 1 and padding >= 0 (got " + stride + ", " + pad + ")", x.shape(), w.shape());
        }
        int n = x.dim(0);
        int h = x.dim(1);
        int wd = x.dim(2);
        int c = x.dim(3);
        int kh = w.dim(0);
        int kw = w.dim(1);
        int f = w.dim(3);
        int oh = Primitives.convOut(h, kh, stride, pad);
        int ow = Primitives.convOut(wd, kw, stride, pad);
        if (oh <= 0 || ow <= 0) {
            throw ShapeException.of("conv2d", "kernel larger than the padded input", x.shape(), w.shape());
        }
        float[] y = new float[n * oh * ow * f];
        ConvNhwcF32.conv2d(x.f32(), n, h, wd, c, w.f32(), kh, kw, f, stride, pad, y);
        return Tensor.wrap(Shape.of(n, oh, ow, f), y);
    }

    /** Gradient of conv2d with respect to its input: gy [N, OH, OW, F], w → [N, H, W, C] (xShape). */
    static Tensor conv2dInputGrad(Tensor gy, Tensor w, Shape xShape, int stride, int pad) {
        Primitives.checkConv("conv2dInputGrad", xShape, w.shape());
        float[] gx = new float[xShape.size()];
        ConvNhwcF32.conv2dInputGrad(gy.f32(), xShape.dim(0), xShape.dim(1), xShape.dim(2), xShape.dim(3),
                w.f32(), w.dim(0), w.dim(1), w.dim(3), stride, pad, gx);
        return Tensor.wrap(xShape, gx);
    }

    /** Gradient of conv2d with respect to its weight: x, gy → [KH, KW, C, F] (wShape). */
    static Tensor conv2dWeightGrad(Tensor x, Tensor gy, Shape wShape, int stride, int pad) {
        Primitives.checkConv("conv2dWeightGrad", x.shape(), wShape);
        float[] gw = new float[wShape.size()];
        ConvNhwcF32.conv2dWeightGrad(x.f32(), gy.f32(), x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                wShape.dim(0), wShape.dim(1), wShape.dim(3), stride, pad, gw);
        return Tensor.wrap(wShape, gw);
    }
}
