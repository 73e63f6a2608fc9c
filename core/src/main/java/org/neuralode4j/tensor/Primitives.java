package org.neuralode4j.tensor;

import java.util.List;
import org.neuralode4j.tensor.kernels.ConvNhwcF64;
import org.neuralode4j.tensor.kernels.GemmF64;
import org.neuralode4j.tensor.kernels.ScratchF64;
import org.neuralode4j.tensor.kernels.VecMathF64;

/**
 * Values-only evaluation of the primitive ops: tensors in, a new tensor out, nothing recorded.
 *
 * <p>This is the one place outside {@code tensor.kernels} that sees the storage arrays; it checks shapes,
 * allocates the result and calls a kernel. {@code autodiff.ops.Ops} wraps each primitive with its gradient
 * rule. The dtype switch is here too: float32 operands go to {@link PrimitivesF32} (the hot ops) or run in
 * float64 on widened values (the rest); operands of different dtypes are an error ({@link #sameDType}).
 */
public final class Primitives {
    private Primitives() {}

    // ================================================================ dtypes

    /**
     * The common dtype of the operands (nulls skipped, e.g. an absent bias).
     *
     * @throws DTypeException naming the op and both dtypes when they differ: ops never promote
     */
    public static DType sameDType(String op, Tensor... operands) {
        DType d = null;
        for (Tensor t : operands) {
            if (t == null) {
                continue;
            }
            if (d == null) {
                d = t.dtype();
            } else if (t.dtype() != d) {
                throw DTypeException.mixed(op, d, t.dtype());
            }
        }
        return d == null ? DType.F64 : d;
    }

    private static DType mlpDType(String op, Tensor first, Tensor[] a, Tensor[] b) {
        Tensor[] all = new Tensor[1 + a.length + b.length];
        all[0] = first;
        System.arraycopy(a, 0, all, 1, a.length);
        System.arraycopy(b, 0, all, 1 + a.length, b.length);
        return sameDType(op, all);
    }

    /** The values of {@code a} in {@code dtype} (a itself when it already has it); see {@link Tensor#to}. */
    public static Tensor cast(Tensor a, DType dtype) {
        return a.to(dtype);
    }

    // ================================================================ elementwise binary (broadcasting)

    /** Binary elementwise operations, evaluated by {@link #binary}. */
    public enum Binary {
        ADD, SUB, MUL, DIV,
        /** g·(1 − y²): tanh's derivative applied to an incoming gradient g, given the output y. */
        TANH_BACKWARD,
        /** g·y·(1 − y): the logistic sigmoid's derivative applied to g, given the output y. */
        SIGMOID_BACKWARD
    }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(Binary.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(Binary.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(Binary.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(Binary.DIV, a, b);
    }

    /** Applies {@code op} elementwise with NumPy broadcasting. */
    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw DTypeException.mixed(op.name().toLowerCase(java.util.Locale.ROOT), a.dtype(), b.dtype());
        }
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.binary(op, a, b);
        }
        Shape out = Shape.broadcast(op.name().toLowerCase(java.util.Locale.ROOT), a.shape(), b.shape());
        double[] x = a.f64();
        double[] y = b.f64();
        double[] r = new double[out.size()];
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
        } else if (x.length == n && isSuffix(b.shape(), out)) {
            // The common bias case [B, n] + [n]: b repeats every b.size elements.
            int m = y.length;
            if (op == Binary.ADD && m < SHORT_ROW) {
                addRepeating(x, y, r, n, m);
            } else {
                for (int o = 0; o < n; o += m) {
                    binaryLoop(op, x, o, 1, y, 0, 1, r, o, m);
                }
            }
        } else if (y.length == n && isSuffix(a.shape(), out)) {
            int m = x.length;
            for (int o = 0; o < n; o += m) {
                binaryLoop(op, x, 0, 1, y, o, 1, r, o, m);
            }
        } else {
            int[] d = padded(out);
            int[] sa = broadcastStrides(a.shape());
            int[] sb = broadcastStrides(b.shape());
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
    private static void addRepeating(double[] x, double[] y, double[] r, int n, int m) {
        for (int o = 0; o < n; o += m) {
            for (int i = 0; i < m; i++) {
                r[o + i] = x[o + i] + y[i];
            }
        }
    }

    private static void binaryLoop(Binary op, double[] x, int xo, int xs, double[] y, int yo, int ys,
                                   double[] r, int ro, int n) {
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
                    double v = y[yo + i * ys];
                    r[ro + i] = x[xo + i * xs] * (1.0 - v * v);
                }
                break;
            case SIGMOID_BACKWARD:
                for (int i = 0; i < n; i++) {
                    double v = y[yo + i * ys];
                    r[ro + i] = x[xo + i * xs] * v * (1.0 - v);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    private static void contiguous(Binary op, double[] x, int xo, double[] y, int yo, double[] r, int ro, int n) {
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
                    double v = y[yo + i];
                    r[ro + i] = x[xo + i] * (1.0 - v * v);
                }
                break;
            case SIGMOID_BACKWARD:
                for (int i = 0; i < n; i++) {
                    double v = y[yo + i];
                    r[ro + i] = x[xo + i] * v * (1.0 - v);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    /** True when {@code s} equals the trailing dimensions of {@code out} (after dropping leading 1s). */
    static boolean isSuffix(Shape s, Shape out) {
        int r = s.rank();
        int lead = 0;
        while (lead < r && s.dim(lead) == 1) {
            lead++;
        }
        int off = out.rank() - r;
        for (int i = lead; i < r; i++) {
            if (s.dim(i) != out.dim(i + off)) {
                return false;
            }
        }
        return true;
    }

    /** The dimensions of {@code s} left-padded with 1s to rank 4. */
    static int[] padded(Shape s) {
        int[] d = {1, 1, 1, 1};
        int off = 4 - s.rank();
        for (int i = 0; i < s.rank(); i++) {
            d[off + i] = s.dim(i);
        }
        return d;
    }

    /** Rank-4 strides of {@code s}, right-aligned: 0 along size-1 (broadcast) dimensions. */
    static int[] broadcastStrides(Shape s) {
        int[] st = new int[4];
        int[] own = s.strides();
        int off = 4 - s.rank();
        for (int i = 0; i < 4; i++) {
            int k = i - off;
            if (k >= 0 && s.dim(k) != 1) {
                st[i] = own[k];
            }
        }
        return st;
    }

    // ================================================================ elementwise unary

    /** Unary elementwise operations, evaluated by {@link #unary}. */
    public enum Unary {
        NEG, EXP, LOG, TANH, SIGMOID, SOFTPLUS, RELU, SQUARE, SQRT, ABS,
        /** sign(x) ∈ {−1, 0, 1} (NaN stays NaN). */
        SIGN,
        /** 1 where x > 0, else 0. */
        POSITIVE_MASK
    }

    public static Tensor unary(Unary op, Tensor a) {
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.unary(op, a);
        }
        double[] x = a.f64();
        double[] r = new double[x.length];
        int n = x.length;
        switch (op) {
            case NEG:
                for (int i = 0; i < n; i++) {
                    r[i] = -x[i];
                }
                break;
            case EXP:
                VecMathF64.exp(x, 0, r, 0, n);
                break;
            case LOG:
                VecMathF64.log(x, 0, r, 0, n);
                break;
            case TANH:
                VecMathF64.tanh(x, 0, r, 0, n);
                break;
            case SIGMOID:
                VecMathF64.sigmoid(x, 0, r, 0, n);
                break;
            case SOFTPLUS:
                VecMathF64.softplus(x, 0, r, 0, n);
                break;
            case RELU:
                for (int i = 0; i < n; i++) {
                    r[i] = x[i] > 0 ? x[i] : (x[i] != x[i] ? x[i] : 0.0);
                }
                break;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    r[i] = x[i] * x[i];
                }
                break;
            case SQRT:
                for (int i = 0; i < n; i++) {
                    r[i] = Math.sqrt(x[i]);
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
                    r[i] = x[i] > 0 ? 1.0 : 0.0;
                }
                break;
            default:
                throw new AssertionError(op);
        }
        return Tensor.wrap(a.shape(), r);
    }

    /** x·c + d elementwise. */
    /**
     * c·a·b·y elementwise over three tensors of one shape, in one pass (the create-graph rules of tanh's backward,
     * which would otherwise make three arrays for a product of three).
     *
     * @throws ShapeException when the shapes differ (callers broadcast with the separate products instead)
     */
    public static Tensor product3(Tensor a, Tensor b, Tensor y, double c) {
        DType d = sameDType("product3", a, b, y);
        if (!a.shape().equals(b.shape()) || !a.shape().equals(y.shape())) {
            throw new ShapeException("product3: shapes " + a.shape() + ", " + b.shape() + " and " + y.shape()
                    + " differ");
        }
        if (d == DType.F32) {
            return PrimitivesF32.product3(a, b, y, c);
        }
        double[] x1 = a.f64();
        double[] x2 = b.f64();
        double[] x3 = y.f64();
        double[] r = new double[x1.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = c * x1[i] * x2[i] * x3[i];
        }
        return Tensor.wrap(a.shape(), r);
    }

    public static Tensor affine(Tensor a, double c, double d) {
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.affine(a, c, d);
        }
        double[] x = a.f64();
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = x[i] * c + d;
        }
        return Tensor.wrap(a.shape(), r);
    }

    /** x^p elementwise (Math.pow semantics; squares and square roots have their own faster ops). */
    public static Tensor pow(Tensor a, double p) {
        if (a.dtype() == DType.F32) {
            return pow(a.to(DType.F64), p).to(DType.F32);
        }
        double[] x = a.f64();
        double[] r = new double[x.length];
        if (p == 2.0) {
            for (int i = 0; i < r.length; i++) {
                r[i] = x[i] * x[i];
            }
        } else if (p == 1.0) {
            System.arraycopy(x, 0, r, 0, r.length);
        } else {
            for (int i = 0; i < r.length; i++) {
                r[i] = StrictMath.pow(x[i], p);
            }
        }
        return Tensor.wrap(a.shape(), r);
    }

    /**
     * Σ_i c_i·t_i over equal-shaped tensors in one pass (Runge–Kutta stages, interpolants); terms whose
     * coefficient is 0 are skipped.
     */
    public static Tensor linearCombination(double[] coeffs, Tensor[] terms) {
        if (sameDType("linearCombination", terms) == DType.F32) {
            return PrimitivesF32.linearCombination(coeffs, terms);
        }
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
        double[] r = new double[s.size()];
        int n = r.length;
        boolean first = true;
        for (int i = 0; i < terms.length; i++) {
            double c = coeffs[i];
            if (c == 0.0) {
                continue;
            }
            double[] x = terms[i].f64();
            if (first) {
                if (c == 1.0) {
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

    // ================================================================ broadcasting and reductions

    /** Sums {@code a} down to {@code target}, a shape that broadcasts to a's shape (the transpose of broadcasting). */
    public static Tensor sumTo(Tensor a, Shape target) {
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.sumTo(a, target);
        }
        if (a.shape().equals(target)) {
            return a;
        }
        if (!target.broadcastsTo(a.shape())) {
            throw ShapeException.of("sumTo", "target does not broadcast to the input", a.shape(), target);
        }
        double[] x = a.f64();
        double[] r = new double[target.size()];
        int m = r.length;
        if (m == 1) {
            r[0] = sumRange(x, 0, x.length);
        } else if (isSuffix(target, a.shape())) {
            for (int o = 0; o < x.length; o += m) {
                for (int i = 0; i < m; i++) {
                    r[i] += x[o + i];
                }
            }
        } else {
            int[] d = padded(a.shape());
            int[] st = broadcastStrides(target);
            int o = 0;
            for (int i0 = 0; i0 < d[0]; i0++) {
                for (int i1 = 0; i1 < d[1]; i1++) {
                    for (int i2 = 0; i2 < d[2]; i2++) {
                        int base = i0 * st[0] + i1 * st[1] + i2 * st[2];
                        if (st[3] == 0) {
                            r[base] += sumRange(x, o, d[3]);
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

    private static double sumRange(double[] x, int from, int n) {
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
    public static Tensor broadcastTo(Tensor a, Shape target) {
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.broadcastTo(a, target);
        }
        if (a.shape().equals(target)) {
            return a;
        }
        if (!a.shape().broadcastsTo(target)) {
            throw ShapeException.of("broadcastTo", "input does not broadcast to the target", a.shape(), target);
        }
        double[] x = a.f64();
        double[] r = new double[target.size()];
        int m = x.length;
        if (m == 1) {
            java.util.Arrays.fill(r, x[0]);
        } else if (isSuffix(a.shape(), target)) {
            for (int o = 0; o < r.length; o += m) {
                System.arraycopy(x, 0, r, o, m);
            }
        } else {
            int[] d = padded(target);
            int[] st = broadcastStrides(a.shape());
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
    public static Tensor sumAll(Tensor a) {
        if (a.dtype() == DType.F32) {
            return PrimitivesF32.sumAll(a);
        }
        return Tensor.wrap(Shape.SCALAR, new double[] {sumRange(a.f64(), 0, a.size())});
    }

    /** The maxima along {@code axis} (axis removed) and their positions (first maximum; NaN wins). */
    public static Tensor maxAlong(Tensor a, int axis, int[] argmaxOut) {
        if (a.dtype() == DType.F32) {
            return maxAlong(a.to(DType.F64), axis, argmaxOut).to(DType.F32);
        }
        Shape s = a.shape();
        int ax = s.axis(axis);
        int outer = s.outer(ax);
        int len = s.dim(ax);
        int inner = s.inner(ax);
        if (len == 0) {
            throw ShapeException.of("max", "axis " + axis + " is empty", s);
        }
        double[] x = a.f64();
        double[] r = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double best = x[base];
                int arg = 0;
                for (int k = 1; k < len && best == best; k++) {
                    double v = x[base + k * inner];
                    if (v > best || v != v) {
                        best = v;
                        arg = k;
                    }
                }
                r[o * inner + i] = best;
                argmaxOut[o * inner + i] = arg;
            }
        }
        return Tensor.wrap(removeAxis(s, ax), r);
    }

    /** out[o, i] = a[o, idx[o, i], i] along {@code axis}: picks one entry per lane (the axis is removed). */
    public static Tensor takeAlong(Tensor a, int axis, int[] idx) {
        if (a.dtype() == DType.F32) {
            return takeAlong(a.to(DType.F64), axis, idx).to(DType.F32);
        }
        Shape s = a.shape();
        int ax = s.axis(axis);
        int outer = s.outer(ax);
        int len = s.dim(ax);
        int inner = s.inner(ax);
        checkLaneIndices("takeAlong", idx, outer * inner, len, s);
        double[] x = a.f64();
        double[] r = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                r[o * inner + i] = x[(o * len + idx[o * inner + i]) * inner + i];
            }
        }
        return Tensor.wrap(removeAxis(s, ax), r);
    }

    /** The transpose of {@link #takeAlong}: places g's entries at idx along a new axis of length len, zeros elsewhere. */
    public static Tensor putAlong(Tensor g, Shape full, int axis, int[] idx) {
        if (g.dtype() == DType.F32) {
            return putAlong(g.to(DType.F64), full, axis, idx).to(DType.F32);
        }
        int ax = full.axis(axis);
        int outer = full.outer(ax);
        int len = full.dim(ax);
        int inner = full.inner(ax);
        if (!g.shape().equals(removeAxis(full, ax))) {
            throw ShapeException.of("putAlong", "values must have the full shape without axis " + axis, g.shape(), full);
        }
        checkLaneIndices("putAlong", idx, outer * inner, len, full);
        double[] x = g.f64();
        double[] r = new double[full.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                r[(o * len + idx[o * inner + i]) * inner + i] = x[o * inner + i];
            }
        }
        return Tensor.wrap(full, r);
    }

    private static void checkLaneIndices(String op, int[] idx, int lanes, int len, Shape s) {
        if (idx.length != lanes) {
            throw ShapeException.of(op, idx.length + " indices for " + lanes + " lanes", s);
        }
        for (int v : idx) {
            if (v < 0 || v >= len) {
                throw ShapeException.of(op, "index " + v + " out of range [0, " + len + ")", s);
            }
        }
    }

    static Shape removeAxis(Shape s, int ax) {
        int[] d = new int[s.rank() - 1];
        for (int i = 0, j = 0; i < s.rank(); i++) {
            if (i != ax) {
                d[j++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }

    // ================================================================ layout

    public static Tensor reshape(Tensor a, Shape s) {
        return a.reshapeValues(s);
    }

    /** Reorders axes: output axis i is input axis perm[i]. */
    public static Tensor permute(Tensor a, int... perm) {
        if (a.dtype() == DType.F32) {
            return permute(a.to(DType.F64), perm).to(DType.F32);
        }
        Shape s = a.shape();
        int r = s.rank();
        if (perm.length != r) {
            throw ShapeException.of("permute", "permutation " + java.util.Arrays.toString(perm) + " has the wrong length", s);
        }
        boolean[] seen = new boolean[r];
        int[] outDims = new int[r];
        for (int i = 0; i < r; i++) {
            int p = perm[i];
            if (p < 0 || p >= r || seen[p]) {
                throw ShapeException.of("permute", java.util.Arrays.toString(perm) + " is not a permutation", s);
            }
            seen[p] = true;
            outDims[i] = s.dim(p);
        }
        Shape out = Shape.of(outDims);
        double[] x = a.f64();
        double[] y = new double[x.length];
        int[] inStrides = s.strides();
        int[] d = {1, 1, 1, 1};
        int[] st = {0, 0, 0, 0};
        for (int i = 0; i < r; i++) {
            d[4 - r + i] = outDims[i];
            st[4 - r + i] = inStrides[perm[i]];
        }
        int o = 0;
        for (int i0 = 0; i0 < d[0]; i0++) {
            for (int i1 = 0; i1 < d[1]; i1++) {
                for (int i2 = 0; i2 < d[2]; i2++) {
                    int base = i0 * st[0] + i1 * st[1] + i2 * st[2];
                    for (int i3 = 0; i3 < d[3]; i3++) {
                        y[o++] = x[base + i3 * st[3]];
                    }
                }
            }
        }
        return Tensor.wrap(out, y);
    }

    /** Entries [start, end) along {@code axis}. */
    public static Tensor slice(Tensor a, int axis, int start, int end) {
        if (a.dtype() == DType.F32) {
            return slice(a.to(DType.F64), axis, start, end).to(DType.F32);
        }
        Shape s = a.shape();
        int ax = s.axis(axis);
        int len = s.dim(ax);
        if (start < 0 || end > len || start > end) {
            throw ShapeException.of("slice", "range [" + start + ", " + end + ") is outside axis " + axis + " of length " + len, s);
        }
        int outer = s.outer(ax);
        int inner = s.inner(ax);
        int w = (end - start) * inner;
        double[] x = a.f64();
        double[] y = new double[outer * w];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, (o * len + start) * inner, y, o * w, w);
        }
        return Tensor.wrap(s.withDim(ax, end - start), y);
    }

    /** The transpose of {@link #slice}: g placed at [start, start + g.dim(axis)) of a zero tensor of shape full. */
    public static Tensor padSlice(Tensor g, Shape full, int axis, int start) {
        if (g.dtype() == DType.F32) {
            return padSlice(g.to(DType.F64), full, axis, start).to(DType.F32);
        }
        int ax = full.axis(axis);
        int len = full.dim(ax);
        int part = g.shape().dim(ax);
        if (!g.shape().equals(full.withDim(ax, part)) || start < 0 || start + part > len) {
            throw ShapeException.of("padSlice", "slice of length " + part + " at " + start + " does not fit axis " + axis, g.shape(), full);
        }
        int outer = full.outer(ax);
        int inner = full.inner(ax);
        int w = part * inner;
        double[] x = g.f64();
        double[] y = new double[full.size()];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, o * w, y, (o * len + start) * inner, w);
        }
        return Tensor.wrap(full, y);
    }

    /** Joins tensors along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (!parts.isEmpty() && sameDType("concat", parts.toArray(new Tensor[0])) == DType.F32) {
            return concat(parts.stream().map(t -> t.to(DType.F64)).toList(), axis).to(DType.F32);
        }
        if (parts.isEmpty()) {
            throw new ShapeException("concat: no tensors given");
        }
        Shape s0 = parts.get(0).shape();
        int ax = s0.axis(axis);
        int total = 0;
        for (Tensor t : parts) {
            Shape s = t.shape();
            if (s.rank() != s0.rank() || !s.withDim(ax, 1).equals(s0.withDim(ax, 1))) {
                Shape[] all = parts.stream().map(Tensor::shape).toArray(Shape[]::new);
                throw ShapeException.of("concat", "shapes differ off axis " + axis, all);
            }
            total += s.dim(ax);
        }
        Shape out = s0.withDim(ax, total);
        int outer = s0.outer(ax);
        int inner = s0.inner(ax);
        double[] y = new double[out.size()];
        int at = 0;
        for (Tensor t : parts) {
            int w = t.shape().dim(ax) * inner;
            double[] x = t.f64();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x, o * w, y, o * total * inner + at, w);
            }
            at += w;
        }
        return Tensor.wrap(out, y);
    }

    /** Rows of {@code a} (along axis 0) at the given indices, in order; indices may repeat. */
    public static Tensor indexSelect(Tensor a, int[] rows) {
        if (a.dtype() == DType.F32) {
            return indexSelect(a.to(DType.F64), rows).to(DType.F32);
        }
        Shape s = a.shape();
        if (s.rank() == 0) {
            throw ShapeException.of("indexSelect", "a scalar has no rows", s);
        }
        int n = s.dim(0);
        int w = s.inner(0);
        double[] x = a.f64();
        double[] y = new double[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= n) {
                throw ShapeException.of("indexSelect", "row index " + r + " out of range [0, " + n + ")", s);
            }
            System.arraycopy(x, r * w, y, i * w, w);
        }
        return Tensor.wrap(s.withDim(0, rows.length), y);
    }

    /** The transpose of {@link #indexSelect}: adds row i of g into row rows[i] of a zero tensor with n rows. */
    public static Tensor indexAdd(Tensor g, int[] rows, int n) {
        if (g.dtype() == DType.F32) {
            return indexAdd(g.to(DType.F64), rows, n).to(DType.F32);
        }
        Shape s = g.shape();
        if (s.rank() == 0 || s.dim(0) != rows.length) {
            throw ShapeException.of("indexAdd", rows.length + " indices for the rows of", s);
        }
        int w = s.inner(0);
        double[] x = g.f64();
        double[] y = new double[n * w];
        for (int i = 0; i < rows.length; i++) {
            int base = rows[i] * w;
            for (int j = 0; j < w; j++) {
                y[base + j] += x[i * w + j];
            }
        }
        return Tensor.wrap(s.withDim(0, n), y);
    }

    // ================================================================ products

    /**
     * op(a)·op(b) for rank 2 ([m, k]·[k, n]) or rank 3 with equal batch ([B, m, k]·[B, k, n]), where op
     * transposes the last two axes when its flag is set.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (sameDType("matmul", a, b) == DType.F32) {
            return PrimitivesF32.matmul(a, b, transA, transB);
        }
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
        double[] c = new double[batch * m * n];
        for (int i = 0; i < batch; i++) {
            GemmF64.gemm(m, n, k, a.f64(), i * m * k, transA, b.f64(), i * k * n, transB, c, i * m * n, false);
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
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (sameDType("linear", x, w, b) == DType.F32) {
            return PrimitivesF32.linear(x, w, b);
        }
        Shape sx = x.shape();
        Shape sw = w.shape();
        if (sx.rank() != 2 || sw.rank() != 2 || sx.dim(1) != sw.dim(1) || (b != null && (b.rank() != 1 || b.dim(0) != sw.dim(0)))) {
            Shape[] shapes = b == null ? new Shape[] {sx, sw} : new Shape[] {sx, sw, b.shape()};
            throw ShapeException.of("linear", "expected x [B, in], weight [out, in], bias [out]", shapes);
        }
        int m = sx.dim(0);
        int n = sw.dim(0);
        int k = sx.dim(1);
        double[] c = new double[m * n];
        if (b != null) {
            double[] bv = b.f64();
            for (int i = 0; i < m; i++) {
                System.arraycopy(bv, 0, c, i * n, n);
            }
        }
        GemmF64.gemm(m, n, k, x.f64(), 0, false, w.f64(), 0, true, c, 0, b != null);
        return Tensor.wrap(Shape.of(m, n), c);
    }

    /**
     * tanh(x·Wᵀ + b): {@link #linear} with tanh applied in place while the product is still in cache, saving the
     * pre-activation array and a pass over cold memory. Bit-identical to {@code unary(TANH, linear(x, w, b))}.
     */
    public static Tensor linearTanh(Tensor x, Tensor w, Tensor b) {
        if (sameDType("linearTanh", x, w, b) == DType.F32) {
            return PrimitivesF32.linearTanh(x, w, b);
        }
        Tensor z = linear(x, w, b);
        double[] c = z.f64();
        VecMathF64.tanh(c, 0, c, 0, c.length);
        return z;
    }

    /**
     * First-order gradients of y = tanh(x·Wᵀ + b) given dL/dy = g, as {gx, gw, gb} (null where not wanted).
     * The pre-activation gradient g·(1 − y²) lives in per-thread scratch: it is formed together with its column
     * sums (the bias gradient) in one pass and read by both products while it is still in cache. Values only;
     * the recorded, differentiable form of the same rule is tanhBackward followed by linear's rule.
     */
    public static Tensor[] linearTanhBackward(Tensor g, Tensor y, Tensor x, Tensor w, boolean needX, boolean needW,
                                              boolean needB) {
        if (sameDType("linearTanhBackward", g, y, x, w) == DType.F32) {
            return PrimitivesF32.linearTanhBackward(g, y, x, w, needX, needW, needB);
        }
        int m = y.dim(0);
        int n = y.dim(1);
        int k = x.dim(1);
        double[] gv = g.f64();
        double[] yv = y.f64();
        double[] gp = ScratchF64.borrow(0, m * n);
        double[] gb = new double[n];
        VecMathF64.tanhBackwardRows(gv, yv, gp, gb, m, n);
        Tensor gx = null;
        Tensor gw = null;
        if (needX) {
            double[] c = new double[m * k];
            GemmF64.gemm(m, k, n, gp, 0, false, w.f64(), 0, false, c, 0, false);
            gx = Tensor.wrap(x.shape(), c);
        }
        if (needW) {
            double[] c = new double[n * k];
            GemmF64.gemm(n, k, m, gp, 0, true, x.f64(), 0, false, c, 0, false);
            gw = Tensor.wrap(w.shape(), c);
        }
        return new Tensor[] {gx, gw, needB ? Tensor.wrap(Shape.of(n), gb) : null};
    }

    /** A fused tanh MLP's forward values: the output and each hidden layer's activations, kept for the backward. */
    public record MlpTanhValues(Tensor output, Tensor[] hidden) {}

    /**
     * x → W_L·tanh(… tanh(W_1·x + b_1) …) + b_L, x [B, in], weights[l] [out_l, in_l], biases[l] [out_l]: the layers
     * of {@link #linearTanh} and a final {@link #linear}, the same arithmetic, so the output is bit-identical to the
     * unfused chain.
     */
    public static MlpTanhValues mlpTanh(Tensor x, Tensor[] weights, Tensor[] biases) {
        if (mlpDType("mlpTanh", x, weights, biases) == DType.F32) {
            return PrimitivesF32.mlpTanh(x, weights, biases);
        }
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
    public static Tensor[] mlpTanhBackward(Tensor g, Tensor x, Tensor[] weights, Tensor[] hidden, boolean[] need) {
        if (mlpDType("mlpTanhBackward", g, weights, hidden) == DType.F32 && x.dtype() == DType.F32) {
            return PrimitivesF32.mlpTanhBackward(g, x, weights, hidden, need);
        }
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
        double[] gIn = g.f64();
        int slot = 0;
        for (int l = layers - 1; l >= 0; l--) {
            int n = weights[l].dim(0);
            int k = weights[l].dim(1);
            boolean needW = need[1 + 2 * l];
            boolean needB = need[2 + 2 * l];
            if (!needW && !needB && !below[l]) {
                break;
            }
            double[] gb = new double[n];
            double[] gp = gIn;
            if (l == layers - 1) {
                if (needB) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            gb[j] += gp[i * n + j];
                        }
                    }
                }
            } else {
                VecMathF64.tanhBackwardRows(gIn, hidden[l].f64(), gp, gb, m, n);
            }
            double[] in = l == 0 ? x.f64() : hidden[l - 1].f64();
            if (needW) {
                double[] c = new double[n * k];
                GemmF64.gemm(n, k, m, gp, 0, true, in, 0, false, c, 0, false);
                out[1 + 2 * l] = Tensor.wrap(weights[l].shape(), c);
            }
            if (needB) {
                out[2 + 2 * l] = Tensor.wrap(Shape.of(n), gb);
            }
            if (!below[l]) {
                break;
            }
            double[] next = l == 0 ? new double[m * k] : ScratchF64.borrow(slot, m * k);
            GemmF64.gemm(m, k, n, gp, 0, false, weights[l].f64(), 0, false, next, 0, false);
            if (l == 0) {
                out[0] = Tensor.wrap(x.shape(), next);
            }
            gIn = next;
            slot = 1 - slot;
        }
        return out;
    }

    // ================================================================ convolution and pooling (NHWC)

    static void checkConv(String op, Shape x, Shape w) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(3) != w.dim(2)) {
            throw ShapeException.of(op, "expected input [N, H, W, C] and weight [KH, KW, C, F]", x, w);
        }
    }

    /** Output height/width of a convolution or pooling window. */
    public static int convOut(int size, int kernel, int stride, int pad) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    /** NHWC convolution: x [N, H, W, C], w [KH, KW, C, F] → [N, OH, OW, F]. */
    public static Tensor conv2d(Tensor x, Tensor w, int stride, int pad) {
        if (sameDType("conv2d", x, w) == DType.F32) {
            return PrimitivesF32.conv2d(x, w, stride, pad);
        }
        checkConv("conv2d", x.shape(), w.shape());
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
        int oh = convOut(h, kh, stride, pad);
        int ow = convOut(wd, kw, stride, pad);
        if (oh <= 0 || ow <= 0) {
            throw ShapeException.of("conv2d", "kernel larger than the padded input", x.shape(), w.shape());
        }
        double[] y = new double[n * oh * ow * f];
        ConvNhwcF64.conv2d(x.f64(), n, h, wd, c, w.f64(), kh, kw, f, stride, pad, y);
        return Tensor.wrap(Shape.of(n, oh, ow, f), y);
    }

    /** Gradient of conv2d with respect to its input: gy [N, OH, OW, F], w → [N, H, W, C] (xShape). */
    public static Tensor conv2dInputGrad(Tensor gy, Tensor w, Shape xShape, int stride, int pad) {
        if (sameDType("conv2dInputGrad", gy, w) == DType.F32) {
            return PrimitivesF32.conv2dInputGrad(gy, w, xShape, stride, pad);
        }
        checkConv("conv2dInputGrad", xShape, w.shape());
        double[] gx = new double[xShape.size()];
        ConvNhwcF64.conv2dInputGrad(gy.f64(), xShape.dim(0), xShape.dim(1), xShape.dim(2), xShape.dim(3),
                w.f64(), w.dim(0), w.dim(1), w.dim(3), stride, pad, gx);
        return Tensor.wrap(xShape, gx);
    }

    /** Gradient of conv2d with respect to its weight: x, gy → [KH, KW, C, F] (wShape). */
    public static Tensor conv2dWeightGrad(Tensor x, Tensor gy, Shape wShape, int stride, int pad) {
        if (sameDType("conv2dWeightGrad", x, gy) == DType.F32) {
            return PrimitivesF32.conv2dWeightGrad(x, gy, wShape, stride, pad);
        }
        checkConv("conv2dWeightGrad", x.shape(), wShape);
        double[] gw = new double[wShape.size()];
        ConvNhwcF64.conv2dWeightGrad(x.f64(), gy.f64(), x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                wShape.dim(0), wShape.dim(1), wShape.dim(3), stride, pad, gw);
        return Tensor.wrap(wShape, gw);
    }

    /** Average pooling over k×k windows with the given stride, no padding: [N, H, W, C] → [N, OH, OW, C]. */
    public static Tensor avgPool2d(Tensor x, int k, int stride) {
        if (x.dtype() == DType.F32) {
            return avgPool2d(x.to(DType.F64), k, stride).to(DType.F32);
        }
        Shape s = x.shape();
        if (s.rank() != 4 || k < 1 || stride < 1 || k > s.dim(1) || k > s.dim(2)) {
            throw ShapeException.of("avgPool2d", "expected [N, H, W, C] at least " + k + "x" + k + " and positive kernel/stride", s);
        }
        int oh = convOut(s.dim(1), k, stride, 0);
        int ow = convOut(s.dim(2), k, stride, 0);
        double[] y = new double[s.dim(0) * oh * ow * s.dim(3)];
        ConvNhwcF64.avgPool2d(x.f64(), s.dim(0), s.dim(1), s.dim(2), s.dim(3), k, stride, y);
        return Tensor.wrap(Shape.of(s.dim(0), oh, ow, s.dim(3)), y);
    }

    /** The transpose of {@link #avgPool2d}: spreads gy back over each window into [N, H, W, C] (xShape). */
    public static Tensor avgPool2dBackward(Tensor gy, Shape xShape, int k, int stride) {
        if (gy.dtype() == DType.F32) {
            return avgPool2dBackward(gy.to(DType.F64), xShape, k, stride).to(DType.F32);
        }
        double[] gx = new double[xShape.size()];
        ConvNhwcF64.avgPool2dBackward(gy.f64(), xShape.dim(0), xShape.dim(1), xShape.dim(2), xShape.dim(3), k, stride, gx);
        return Tensor.wrap(xShape, gx);
    }
}
