package org.neuralode4j.autodiff.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.Node;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Primitives.Binary;
import org.neuralode4j.tensor.Primitives.Unary;
import org.neuralode4j.tensor.Shape;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The differentiable ops: each evaluates with {@link Primitives} and records a gradient rule written in these
 * same ops, so that a backward sweep under create-graph is itself recorded (every rule here is at least twice
 * differentiable, the transposes pairing up: broadcastTo/sumTo, slice/padSlice, indexSelect/indexAdd,
 * takeAlong/putAlong, conv2d/conv2dInputGrad/conv2dWeightGrad, avgPool2d/avgPool2dBackward).
 *
 * <p>Shapes in Javadoc are written [B, D]. Binary elementwise ops broadcast like NumPy.
 */
public final class Ops {
    private Ops() {}

    private static Tensor[] grads(Tensor... g) {
        return g;
    }

    // ================================================================ elementwise binary

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = Primitives.add(a, b);
        return Autograd.record("add", out, (n, g, needs) -> grads(
                needs[0] ? sumTo(g, n.input(0).shape()) : null,
                needs[1] ? sumTo(g, n.input(1).shape()) : null), a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = Primitives.sub(a, b);
        return Autograd.record("sub", out, (n, g, needs) -> grads(
                needs[0] ? sumTo(g, n.input(0).shape()) : null,
                needs[1] ? sumTo(neg(g), n.input(1).shape()) : null), a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = Primitives.mul(a, b);
        return Autograd.record("mul", out, (n, g, needs) -> grads(
                needs[0] ? sumTo(mul(g, n.input(1)), n.input(0).shape()) : null,
                needs[1] ? sumTo(mul(g, n.input(0)), n.input(1).shape()) : null), a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = Primitives.div(a, b);
        return Autograd.record("div", out, (n, g, needs) -> {
            Tensor gOverB = div(g, n.input(1));
            return grads(
                    needs[0] ? sumTo(gOverB, n.input(0).shape()) : null,
                    needs[1] ? sumTo(neg(mul(gOverB, n.output())), n.input(1).shape()) : null);
        }, a, b);
    }

    /** a + c for a constant c. */
    public static Tensor add(Tensor a, double c) {
        return affine(a, 1.0, c);
    }

    /** a · c for a constant c. */
    public static Tensor mul(Tensor a, double c) {
        return affine(a, c, 0.0);
    }

    /** a·c + d elementwise for constants c, d. */
    public static Tensor affine(Tensor a, double c, double d) {
        Tensor out = Primitives.affine(a, c, d);
        return Autograd.record("affine", out, (n, g, needs) -> grads(mul(g, c)), a);
    }

    /** c − a for a constant c. */
    public static Tensor rsub(double c, Tensor a) {
        return affine(a, -1.0, c);
    }

    /**
     * Σ_i c_i·t_i for constant coefficients over equal-shaped tensors, fused into one pass: the Runge–Kutta
     * stage and interpolant combinations. Gradient: c_i·g for each term.
     */
    public static Tensor linearCombination(double[] coeffs, Tensor... terms) {
        double[] c = coeffs.clone();
        Tensor out = Primitives.linearCombination(c, terms);
        return Autograd.record("linearCombination", out, (n, g, needs) -> {
            Tensor[] r = new Tensor[n.inputCount()];
            for (int i = 0; i < r.length; i++) {
                if (needs[i] && c[i] != 0.0) {
                    r[i] = c[i] == 1.0 ? g : mul(g, c[i]);
                }
            }
            return r;
        }, terms);
    }

    // ================================================================ dtype

    /**
     * The values of {@code a} converted to {@code dtype} (rounded to nearest for f64 → f32); {@code a} itself when
     * it already has that dtype. Its gradient is the incoming gradient cast back to a's dtype, so a float32
     * network can sit inside a float64 computation (or the reverse) with every other op's dtypes unmixed.
     */
    public static Tensor cast(Tensor a, DType dtype) {
        if (a.dtype() == dtype) {
            return a;
        }
        DType from = a.dtype();
        Tensor out = Primitives.cast(a, dtype);
        return Autograd.record("cast", out, (n, g, needs) -> grads(cast(g, from)), a);
    }

    // ================================================================ elementwise unary

    public static Tensor neg(Tensor a) {
        Tensor out = Primitives.unary(Unary.NEG, a);
        return Autograd.record("neg", out, (n, g, needs) -> grads(neg(g)), a);
    }

    public static Tensor exp(Tensor a) {
        Tensor out = Primitives.unary(Unary.EXP, a);
        return Autograd.record("exp", out, (n, g, needs) -> grads(mul(g, n.output())), a);
    }

    /** Natural logarithm (−Inf at 0, NaN below). */
    public static Tensor log(Tensor a) {
        Tensor out = Primitives.unary(Unary.LOG, a);
        return Autograd.record("log", out, (n, g, needs) -> grads(div(g, n.input(0))), a);
    }

    public static Tensor tanh(Tensor a) {
        Tensor out = Primitives.unary(Unary.TANH, a);
        return Autograd.record("tanh", out, (n, g, needs) -> grads(tanhBackward(g, n.output())), a);
    }

    /**
     * g·(1 − y²), tanh's backward fused into one pass. Differentiable in both arguments, so that tanh networks
     * have second derivatives: ∂/∂g = 1 − y², ∂/∂y = −2·g·y.
     */
    public static Tensor tanhBackward(Tensor g, Tensor y) {
        Tensor out = Primitives.binary(Binary.TANH_BACKWARD, g, y);
        return Autograd.record("tanhBackward", out, (n, gg, needs) -> {
            Tensor gIn = n.input(0);
            Tensor yIn = n.input(1);
            return grads(
                    needs[0] ? sumTo(tanhBackward(gg, yIn), gIn.shape()) : null,
                    needs[1] ? sumTo(product3(gg, gIn, yIn, -2.0), yIn.shape()) : null);
        }, g, y);
    }

    /**
     * c·a·b·y, the ∂/∂y of tanh's backward (c = −2) in one pass when the three shapes agree, else as the
     * broadcasting products. Its own rule differentiates each factor by the product of the other two.
     */
    public static Tensor product3(Tensor a, Tensor b, Tensor y, double c) {
        if (!a.shape().equals(b.shape()) || !a.shape().equals(y.shape())) {
            return mul(mul(a, b), mul(y, c));
        }
        Tensor out = Primitives.product3(a, b, y, c);
        return Autograd.record("product3", out, (n, g, needs) -> grads(
                needs[0] ? product3(g, n.input(1), n.input(2), c) : null,
                needs[1] ? product3(g, n.input(0), n.input(2), c) : null,
                needs[2] ? product3(g, n.input(0), n.input(1), c) : null), a, b, y);
    }

    /** Logistic sigmoid 1/(1 + e^−x). */
    public static Tensor sigmoid(Tensor a) {
        Tensor out = Primitives.unary(Unary.SIGMOID, a);
        return Autograd.record("sigmoid", out, (n, g, needs) -> grads(sigmoidBackward(g, n.output())), a);
    }

    /** g·y·(1 − y), the sigmoid's backward fused; ∂/∂g = y(1 − y), ∂/∂y = g(1 − 2y). */
    public static Tensor sigmoidBackward(Tensor g, Tensor y) {
        Tensor out = Primitives.binary(Binary.SIGMOID_BACKWARD, g, y);
        return Autograd.record("sigmoidBackward", out, (n, gg, needs) -> {
            Tensor gIn = n.input(0);
            Tensor yIn = n.input(1);
            return grads(
                    needs[0] ? sumTo(sigmoidBackward(gg, yIn), gIn.shape()) : null,
                    needs[1] ? sumTo(mul(mul(gg, gIn), affine(yIn, -2.0, 1.0)), yIn.shape()) : null);
        }, g, y);
    }

    /** softplus(x) = ln(1 + eˣ), computed stably; its derivative is sigmoid(x). */
    public static Tensor softplus(Tensor a) {
        Tensor out = Primitives.unary(Unary.SOFTPLUS, a);
        return Autograd.record("softplus", out, (n, g, needs) -> grads(mul(g, sigmoid(n.input(0)))), a);
    }

    /** max(x, 0); the derivative at 0 is taken as 0. */
    public static Tensor relu(Tensor a) {
        Tensor out = Primitives.unary(Unary.RELU, a);
        return Autograd.record("relu", out, (n, g, needs) -> grads(mul(g, Primitives.unary(Unary.POSITIVE_MASK, n.input(0)))), a);
    }

    public static Tensor square(Tensor a) {
        Tensor out = Primitives.unary(Unary.SQUARE, a);
        return Autograd.record("square", out, (n, g, needs) -> grads(mul(g, mul(n.input(0), 2.0))), a);
    }

    public static Tensor sqrt(Tensor a) {
        Tensor out = Primitives.unary(Unary.SQRT, a);
        return Autograd.record("sqrt", out, (n, g, needs) -> grads(div(mul(g, 0.5), n.output())), a);
    }

    /** |x|; the derivative at 0 is taken as 0. */
    public static Tensor abs(Tensor a) {
        Tensor out = Primitives.unary(Unary.ABS, a);
        return Autograd.record("abs", out, (n, g, needs) -> grads(mul(g, Primitives.unary(Unary.SIGN, n.input(0)))), a);
    }

    /** x^p for a constant exponent p. */
    public static Tensor pow(Tensor a, double p) {
        Tensor out = Primitives.pow(a, p);
        return Autograd.record("pow", out, (n, g, needs) -> grads(
                p == 0.0 ? mul(g, 0.0) : mul(g, mul(pow(n.input(0), p - 1.0), p))), a);
    }

    // ================================================================ broadcasting and reductions

    /** Sums a down to {@code shape} (which must broadcast to a's shape); the transpose of {@link #broadcastTo}. */
    public static Tensor sumTo(Tensor a, Shape shape) {
        if (a.shape().equals(shape)) {
            return a;
        }
        Tensor out = Primitives.sumTo(a, shape);
        return Autograd.record("sumTo", out, (n, g, needs) -> grads(broadcastTo(g, n.input(0).shape())), a);
    }

    /** Repeats a along broadcast dimensions to {@code shape}; the transpose of {@link #sumTo}. */
    public static Tensor broadcastTo(Tensor a, Shape shape) {
        if (a.shape().equals(shape)) {
            return a;
        }
        Tensor out = Primitives.broadcastTo(a, shape);
        return Autograd.record("broadcastTo", out, (n, g, needs) -> grads(sumTo(g, n.input(0).shape())), a);
    }

    /** Sum of all elements (a scalar). */
    public static Tensor sum(Tensor a) {
        Tensor out = Primitives.sumAll(a);
        return Autograd.record("sum", out, (n, g, needs) -> grads(broadcastTo(g, n.input(0).shape())), a);
    }

    /** Sum over the given axes; kept as size-1 axes when {@code keepDims}. */
    public static Tensor sum(Tensor a, boolean keepDims, int... axes) {
        Shape s = a.shape();
        int[] kept = s.dims();
        boolean[] reduce = new boolean[s.rank()];
        for (int ax : axes) {
            int k = s.axis(ax);
            if (reduce[k]) {
                throw ShapeException.of("sum", "axis " + ax + " given twice", s);
            }
            reduce[k] = true;
            kept[k] = 1;
        }
        Tensor r = sumTo(a, Shape.of(kept));
        if (keepDims) {
            return r;
        }
        int[] dropped = new int[s.rank() - axes.length];
        for (int i = 0, j = 0; i < s.rank(); i++) {
            if (!reduce[i]) {
                dropped[j++] = s.dim(i);
            }
        }
        return reshape(r, dropped);
    }

    /** Mean of all elements (a scalar). */
    public static Tensor mean(Tensor a) {
        return mul(sum(a), 1.0 / a.size());
    }

    /** Mean over the given axes. */
    public static Tensor mean(Tensor a, boolean keepDims, int... axes) {
        int count = 1;
        for (int ax : axes) {
            count *= a.shape().dim(ax);
        }
        return mul(sum(a, keepDims, axes), 1.0 / count);
    }

    /** Maximum along {@code axis} (removed); the gradient flows to the first maximal entry. */
    public static Tensor max(Tensor a, int axis) {
        int ax = a.shape().axis(axis);
        int[] arg = new int[a.shape().size() / Math.max(1, a.shape().dim(ax))];
        Tensor out = Primitives.maxAlong(a, ax, arg);
        return Autograd.record("max", out, (n, g, needs) -> grads(putAlong(g, n.input(0).shape(), ax, arg)), a);
    }

    /** Positions of the maxima along {@code axis}, row-major over the remaining axes (not differentiable). */
    public static int[] argmax(Tensor a, int axis) {
        int ax = a.shape().axis(axis);
        int[] arg = new int[a.shape().size() / Math.max(1, a.shape().dim(ax))];
        Primitives.maxAlong(a, ax, arg);
        return arg;
    }

    /** One entry per lane along {@code axis}: out[o, i] = a[o, idx[o, i], i]; the axis is removed. */
    public static Tensor takeAlong(Tensor a, int axis, int[] idx) {
        int ax = a.shape().axis(axis);
        Tensor out = Primitives.takeAlong(a, ax, idx);
        return Autograd.record("takeAlong", out, (n, g, needs) -> grads(putAlong(g, n.input(0).shape(), ax, idx)), a);
    }

    /** The transpose of {@link #takeAlong}: g's entries placed at idx along a new axis, zeros elsewhere. */
    public static Tensor putAlong(Tensor g, Shape full, int axis, int[] idx) {
        Tensor out = Primitives.putAlong(g, full, axis, idx);
        return Autograd.record("putAlong", out, (n, gg, needs) -> grads(takeAlong(gg, axis, idx)), g);
    }

    /** log Σ exp(a) along {@code axis} (removed), stabilised by the maximum. */
    public static Tensor logSumExp(Tensor a, int axis) {
        int ax = a.shape().axis(axis);
        int[] keep = a.shape().dims();
        keep[ax] = 1;
        // The shift is a constant: the result does not depend on it, so no gradient needs to flow through it.
        Tensor m = reshape(max(a, ax).detach(), keep);
        Tensor lse = log(sum(exp(sub(a, m)), true, ax));
        return sum(add(lse, m), false, ax);
    }

    // ================================================================ layout

    public static Tensor reshape(Tensor a, int... dims) {
        return reshape(a, Shape.of(inferDim(a.shape(), dims)));
    }

    public static Tensor reshape(Tensor a, Shape s) {
        if (a.shape().equals(s)) {
            return a;
        }
        if (a.shape().size() != s.size()) {
            throw ShapeException.of("reshape", "sizes differ", a.shape(), s);
        }
        Tensor out = Primitives.reshape(a, s);
        return Autograd.record("reshape", out, (n, g, needs) -> grads(reshape(g, n.input(0).shape())), a);
    }

    private static int[] inferDim(Shape from, int[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw ShapeException.of("reshape", "more than one -1 in " + Arrays.toString(dims), from);
                }
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        if (infer < 0) {
            return dims;
        }
        int[] d = dims.clone();
        if (known == 0 || from.size() % known != 0) {
            throw ShapeException.of("reshape", "cannot infer -1 in " + Arrays.toString(dims), from);
        }
        d[infer] = (int) (from.size() / known);
        return d;
    }

    /** Output axis i is input axis perm[i]. */
    public static Tensor permute(Tensor a, int... perm) {
        Tensor out = Primitives.permute(a, perm);
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return Autograd.record("permute", out, (n, g, needs) -> grads(permute(g, inverse)), a);
    }

    /** Swaps the last two axes. */
    public static Tensor transpose(Tensor a) {
        int r = a.rank();
        if (r < 2) {
            throw ShapeException.of("transpose", "needs rank >= 2", a.shape());
        }
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return permute(a, perm);
    }

    /** Entries [start, end) along {@code axis}. */
    public static Tensor slice(Tensor a, int axis, int start, int end) {
        int ax = a.shape().axis(axis);
        Tensor out = Primitives.slice(a, ax, start, end);
        return Autograd.record("slice", out, (n, g, needs) -> grads(padSlice(g, n.input(0).shape(), ax, start)), a);
    }

    /** g placed at [start, start + g.dim(axis)) along {@code axis} of zeros shaped {@code full}; the transpose of slice. */
    public static Tensor padSlice(Tensor g, Shape full, int axis, int start) {
        int ax = full.axis(axis);
        int len = g.shape().dim(ax);
        Tensor out = Primitives.padSlice(g, full, ax, start);
        return Autograd.record("padSlice", out, (n, gg, needs) -> grads(slice(gg, ax, start, start + len)), g);
    }

    /** Joins tensors along {@code axis}. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        Tensor out = Primitives.concat(parts, axis);
        int ax = out.shape().axis(axis);
        Tensor[] in = parts.toArray(new Tensor[0]);
        return Autograd.record("concat", out, (n, g, needs) -> {
            Tensor[] r = new Tensor[n.inputCount()];
            int at = 0;
            for (int i = 0; i < r.length; i++) {
                int len = n.input(i).shape().dim(ax);
                if (needs[i]) {
                    r[i] = slice(g, ax, at, at + len);
                }
                at += len;
            }
            return r;
        }, in);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("stack: no tensors given");
        }
        Shape s = parts.get(0).shape();
        int ax = axis < 0 ? axis + s.rank() + 1 : axis;
        if (ax < 0 || ax > s.rank()) {
            throw ShapeException.of("stack", "axis " + axis + " out of range", s);
        }
        int[] d = new int[s.rank() + 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            d[i] = i == ax ? 1 : s.dim(j++);
        }
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            if (!t.shape().equals(s)) {
                throw ShapeException.of("stack", "shapes differ", parts.stream().map(Tensor::shape).toArray(Shape[]::new));
            }
            expanded.add(reshape(t, d));
        }
        return concat(expanded, ax);
    }

    /** Rows (axis 0) of a at the given indices; indices may repeat. */
    public static Tensor indexSelect(Tensor a, int[] rows) {
        int[] idx = rows.clone();
        Tensor out = Primitives.indexSelect(a, idx);
        return Autograd.record("indexSelect", out, (n, g, needs) -> grads(indexAdd(g, idx, n.input(0).shape().dim(0))), a);
    }

    /** Adds row i of g into row rows[i] of a zero tensor with {@code n} rows; the transpose of indexSelect. */
    public static Tensor indexAdd(Tensor g, int[] rows, int count) {
        int[] idx = rows.clone();
        Tensor out = Primitives.indexAdd(g, idx, count);
        return Autograd.record("indexAdd", out, (n, gg, needs) -> grads(indexSelect(gg, idx)), g);
    }

    // ================================================================ products

    /** Matrix product: [m, k]·[k, n], batched [B, m, k]·[B, k, n], or [B, m, k]·[k, n] (shared right factor). */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * op(a)·op(b), where op transposes the last two axes when its flag is set; rank 2 or 3. A rank-3 a with a
     * rank-2 b (no transpose of a) is one big product over the flattened batch.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() == 3 && b.rank() == 2 && !transA) {
            int batch = a.dim(0);
            int m = a.dim(1);
            Tensor flat = matmul(reshape(a, batch * m, a.dim(2)), b, false, transB);
            return reshape(flat, batch, m, flat.dim(1));
        }
        Tensor out = Primitives.matmul(a, b, transA, transB);
        return Autograd.record("matmul", out, (n, g, needs) -> {
            Tensor x = n.input(0);
            Tensor y = n.input(1);
            // C = op(A)·op(B): dA = g·op(B)ᵀ (or its transpose when A is stored transposed), dB likewise.
            Tensor ga = null;
            Tensor gb = null;
            if (needs[0]) {
                ga = transA ? matmul(y, g, transB, true) : matmul(g, y, false, !transB);
            }
            if (needs[1]) {
                gb = transB ? matmul(g, x, true, transA) : matmul(x, g, !transA, false);
            }
            return grads(ga, gb);
        }, a, b);
    }

    /**
     * A linear layer's forward x·Wᵀ + b, fused into one GEMM pass (x [B, in], W [out, in], b [out] or null).
     * Gradients: g·W, gᵀ·x and Σ_rows g.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        Tensor out = Primitives.linear(x, w, b);
        Node.Rule rule = (n, g, needs) -> grads(
                needs[0] ? matmul(g, n.input(1)) : null,
                needs[1] ? matmul(g, n.input(0), true, false) : null,
                n.inputCount() > 2 && needs[2] ? sumTo(g, n.input(2).shape()) : null);
        return b == null ? Autograd.record("linear", out, rule, x, w) : Autograd.record("linear", out, rule, x, w, b);
    }

    /**
     * tanh(x·wᵀ + b), a linear layer and its tanh in one op: x [B, in], w [out, in], b [out] or null. The hot pair
     * of every tanh MLP field. A first-order backward sweep runs the fused kernel
     * ({@link Primitives#linearTanhBackward}); a create-graph sweep composes tanhBackward with linear's rule, so
     * higher derivatives are those of the unfused pair.
     */
    public static Tensor linearTanh(Tensor x, Tensor w, Tensor b) {
        return recordLinearTanh(Primitives.linearTanh(x, w, b), x, w, b);
    }

    /** Records {@code out}, already computed as tanh(x·wᵀ + b), as a {@link #linearTanh} node. */
    private static Tensor recordLinearTanh(Tensor out, Tensor x, Tensor w, Tensor b) {
        Node.Rule rule = (n, g, needs) -> {
            boolean needB = n.inputCount() > 2 && needs[2];
            if (!GradMode.isEnabled()) {
                return Primitives.linearTanhBackward(g, n.output(), n.input(0), n.input(1), needs[0], needs[1], needB);
            }
            Tensor gp = tanhBackward(g, n.output());
            return grads(
                    needs[0] ? matmul(gp, n.input(1)) : null,
                    needs[1] ? matmul(gp, n.input(0), true, false) : null,
                    needB ? sumTo(gp, n.input(2).shape()) : null);
        };
        return b == null ? Autograd.record("linearTanh", out, rule, x, w) : Autograd.record("linearTanh", out, rule, x, w, b);
    }

    /**
     * A tanh MLP as one op: x [B, in] → W_L·tanh(… tanh(W_1·x + b_1) …) + b_L, with weights.get(l) [out_l, in_l] and
     * biases.get(l) [out_l]. The usual ODE field. The output is bit-identical to the chain of {@link #linearTanh}
     * and {@link #linear}. A first-order backward sweep runs the fused kernel ({@link Primitives#mlpTanhBackward}),
     * which allocates only the gradients it returns. A create-graph sweep records the saved hidden layers as
     * {@link #linearTanh} nodes and composes the unfused rules, so higher derivatives are those of the chain. Inside
     * {@link GradMode#expectHigherOrder()} the op records the unfused chain itself.
     */
    public static Tensor mlpTanh(Tensor x, List<Tensor> weights, List<Tensor> biases) {
        int layers = weights.size();
        if (layers < 1 || biases.size() != layers) {
            throw new ShapeException("mlpTanh: need one bias per weight and at least one layer, got " + layers
                    + " weights and " + biases.size() + " biases");
        }
        Tensor[] w = weights.toArray(new Tensor[0]);
        Tensor[] b = biases.toArray(new Tensor[0]);
        if (GradMode.isEnabled() && GradMode.higherOrderExpected()) {
            // A create-graph vjp will follow: the chain's nodes serve it and the outer backward pass alike, where
            // the fused node would have both run the hidden layers' rules.
            Tensor h = x;
            for (int l = 0; l + 1 < layers; l++) {
                h = linearTanh(h, w[l], b[l]);
            }
            return linear(h, w[layers - 1], b[layers - 1]);
        }
        Primitives.MlpTanhValues v = Primitives.mlpTanh(x, w, b);
        Tensor[] inputs = new Tensor[1 + 2 * layers];
        inputs[0] = x;
        for (int l = 0; l < layers; l++) {
            inputs[1 + 2 * l] = w[l];
            inputs[2 + 2 * l] = b[l];
        }
        Tensor[] hidden = v.hidden();
        Node.Rule rule = (n, g, needs) -> {
            Tensor[] ws = new Tensor[layers];
            for (int l = 0; l < layers; l++) {
                ws[l] = n.input(1 + 2 * l);
            }
            if (!GradMode.isEnabled()) {
                return Primitives.mlpTanhBackward(g, n.input(0), ws, hidden, needs);
            }
            return mlpTanhComposedBackward(n, g, needs, hidden);
        };
        return Autograd.record("mlpTanh", v.output(), rule, inputs);
    }

    /**
     * {@link #mlpTanh}'s rule from recorded ops: the saved hidden activations recorded as {@link #linearTanh} nodes
     * of the op's inputs (no recomputation), then each layer's unfused rule, so that the result can be
     * differentiated again through them.
     */
    private static Tensor[] mlpTanhComposedBackward(Node n, Tensor g, boolean[] needs, Tensor[] hidden) {
        int layers = hidden.length + 1;
        Tensor[] h = new Tensor[layers];
        h[0] = n.input(0);
        for (int l = 0; l + 1 < layers; l++) {
            h[l + 1] = recordLinearTanh(hidden[l], h[l], n.input(1 + 2 * l), n.input(2 + 2 * l));
        }
        boolean[] below = new boolean[layers];
        boolean any = needs[0];
        for (int l = 0; l < layers; l++) {
            below[l] = any;
            any |= needs[1 + 2 * l] || needs[2 + 2 * l];
        }
        Tensor[] r = new Tensor[1 + 2 * layers];
        Tensor gOut = g;
        for (int l = layers - 1; l >= 0; l--) {
            boolean needW = needs[1 + 2 * l];
            boolean needB = needs[2 + 2 * l];
            if (!needW && !needB && !below[l]) {
                break;
            }
            // h[l + 1] is layer l's output for the hidden layers; the last layer has no activation.
            Tensor gp = l == layers - 1 ? gOut : tanhBackward(gOut, h[l + 1]);
            if (needW) {
                r[1 + 2 * l] = matmul(gp, h[l], true, false);
            }
            if (needB) {
                r[2 + 2 * l] = sumTo(gp, n.input(2 + 2 * l).shape());
            }
            if (!below[l]) {
                break;
            }
            gOut = matmul(gp, n.input(1 + 2 * l));
            if (l == 0) {
                r[0] = gOut;
            }
        }
        return r;
    }

    /** Σ a·b over all elements (shapes broadcast). */
    public static Tensor dot(Tensor a, Tensor b) {
        return sum(mul(a, b));
    }

    /** Σ a² over all elements. */
    public static Tensor sumSquares(Tensor a) {
        return sum(square(a));
    }

    /** Euclidean (Frobenius) norm over all elements; its gradient at 0 is NaN, as for √. */
    public static Tensor norm(Tensor a) {
        return sqrt(sumSquares(a));
    }

    // ================================================================ convolution and pooling (NHWC)

    /** NHWC convolution: x [N, H, W, C], w [KH, KW, C, F] → [N, OH, OW, F], zero padding, equal strides. */
    public static Tensor conv2d(Tensor x, Tensor w, int stride, int pad) {
        Tensor out = Primitives.conv2d(x, w, stride, pad);
        return Autograd.record("conv2d", out, (n, g, needs) -> grads(
                needs[0] ? conv2dInputGrad(g, n.input(1), n.input(0).shape(), stride, pad) : null,
                needs[1] ? conv2dWeightGrad(n.input(0), g, n.input(1).shape(), stride, pad) : null), x, w);
    }

    /**
     * The input gradient of conv2d, bilinear in (gy, w): ⟨inputGrad(gy, w), v⟩ = ⟨gy, conv2d(v, w)⟩ =
     * ⟨w, weightGrad(v, gy)⟩, which gives its own rule.
     */
    public static Tensor conv2dInputGrad(Tensor gy, Tensor w, Shape xShape, int stride, int pad) {
        Tensor out = Primitives.conv2dInputGrad(gy, w, xShape, stride, pad);
        return Autograd.record("conv2dInputGrad", out, (n, gg, needs) -> grads(
                needs[0] ? conv2d(gg, n.input(1), stride, pad) : null,
                needs[1] ? conv2dWeightGrad(gg, n.input(0), n.input(1).shape(), stride, pad) : null), gy, w);
    }

    /**
     * The weight gradient of conv2d, bilinear in (x, gy): ⟨weightGrad(x, gy), v⟩ = ⟨gy, conv2d(x, v)⟩ =
     * ⟨x, inputGrad(gy, v)⟩.
     */
    public static Tensor conv2dWeightGrad(Tensor x, Tensor gy, Shape wShape, int stride, int pad) {
        Tensor out = Primitives.conv2dWeightGrad(x, gy, wShape, stride, pad);
        return Autograd.record("conv2dWeightGrad", out, (n, gg, needs) -> grads(
                needs[0] ? conv2dInputGrad(n.input(1), gg, n.input(0).shape(), stride, pad) : null,
                needs[1] ? conv2d(n.input(0), gg, stride, pad) : null), x, gy);
    }

    /** Average pooling over k×k windows (no padding): [N, H, W, C] → [N, OH, OW, C]. */
    public static Tensor avgPool2d(Tensor x, int k, int stride) {
        Tensor out = Primitives.avgPool2d(x, k, stride);
        return Autograd.record("avgPool2d", out, (n, g, needs) -> grads(avgPool2dBackward(g, n.input(0).shape(), k, stride)), x);
    }

    /** The transpose of {@link #avgPool2d}. */
    public static Tensor avgPool2dBackward(Tensor gy, Shape xShape, int k, int stride) {
        Tensor out = Primitives.avgPool2dBackward(gy, xShape, k, stride);
        return Autograd.record("avgPool2dBackward", out, (n, gg, needs) -> grads(avgPool2d(gg, k, stride)), gy);
    }
}
