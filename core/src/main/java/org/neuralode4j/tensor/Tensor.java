package org.neuralode4j.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable dense n-d array (rank 0–4, row-major) with a dtype, an id, a requires-grad flag and, when an
 * op recorded it for differentiation, its {@link GradOrigin}.
 *
 * <p>Tensors never change after construction; arithmetic lives in {@code autodiff.ops.Ops} (recorded) and in
 * {@link Primitives} (values only). Two tensors may share storage (reshape, detach): sharing is safe because
 * nobody writes to it. Storage is reachable only from this package and the kernels, so that a second dtype
 * can be added without touching code elsewhere.
 */
public final class Tensor {
    private static final AtomicLong IDS = new AtomicLong();

    private final Shape shape;
    private final DType dtype;
    private final double[] f64;
    private final long id;
    private final boolean requiresGrad;
    private final GradOrigin origin;

    Tensor(Shape shape, double[] f64, boolean requiresGrad, GradOrigin origin) {
        if (f64.length != shape.size()) {
            throw new ShapeException("tensor: " + f64.length + " values do not fill shape " + shape);
        }
        this.shape = shape;
        this.dtype = DType.F64;
        this.f64 = f64;
        this.id = IDS.incrementAndGet();
        this.requiresGrad = requiresGrad;
        this.origin = origin;
    }

    /** Wraps freshly computed values without copying; only for this package's producers. */
    static Tensor wrap(Shape shape, double[] values) {
        return new Tensor(shape, values, false, null);
    }

    // ---------------------------------------------------------------- factories

    /** A tensor holding a copy of {@code values} in the given shape. */
    public static Tensor of(double[] values, int... dims) {
        Shape s = Shape.of(dims);
        if (values.length != s.size()) {
            throw new ShapeException("Tensor.of: " + values.length + " values do not fill shape " + s);
        }
        return new Tensor(s, values.clone(), false, null);
    }

    /** A [rows, cols] tensor from a rectangular array. */
    public static Tensor of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] v = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new ShapeException("Tensor.of: row " + i + " has " + rows[i].length + " values, row 0 has " + c);
            }
            System.arraycopy(rows[i], 0, v, i * c, c);
        }
        return new Tensor(Shape.of(r, c), v, false, null);
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor vector(double... values) {
        return new Tensor(Shape.of(values.length), values.clone(), false, null);
    }

    public static Tensor scalar(double value) {
        return new Tensor(Shape.SCALAR, new double[] {value}, false, null);
    }

    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, new double[s.size()], false, null);
    }

    public static Tensor zeros(Shape s) {
        return new Tensor(s, new double[s.size()], false, null);
    }

    public static Tensor ones(int... dims) {
        return full(1.0, dims);
    }

    public static Tensor full(double value, int... dims) {
        return full(value, Shape.of(dims));
    }

    public static Tensor full(double value, Shape s) {
        double[] v = new double[s.size()];
        Arrays.fill(v, value);
        return new Tensor(s, v, false, null);
    }

    // ---------------------------------------------------------------- metadata

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    /** Dimension i; negative i counts from the end. */
    public int dim(int i) {
        return shape.dim(i);
    }

    /** Unique per tensor object (copies sharing storage get their own id). */
    public long id() {
        return id;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** How this tensor was computed, or null for a leaf or a tensor not recorded. */
    public GradOrigin origin() {
        return origin;
    }

    /** True for tensors that require gradients and were not produced by a recorded op. */
    public boolean isLeaf() {
        return origin == null;
    }

    // ---------------------------------------------------------------- derived tensors (storage shared)

    /** A leaf sharing this tensor's values that requires gradients: the handle to differentiate with respect to. */
    public Tensor requiringGrad() {
        return new Tensor(shape, f64, true, null);
    }

    /** The same values cut from the graph: no gradient flows through the result. */
    public Tensor detach() {
        return requiresGrad || origin != null ? new Tensor(shape, f64, false, null) : this;
    }

    /** The same values recorded as produced by {@code node}; used by {@code autodiff} only. */
    public Tensor withOrigin(GradOrigin node) {
        return new Tensor(shape, f64, true, node);
    }

    /** The same values seen with another shape of equal size (no copy). Not recorded: use {@code Ops.reshape}. */
    Tensor reshapeValues(Shape s) {
        if (s.size() != shape.size()) {
            throw ShapeException.of("reshape", "sizes differ", shape, s);
        }
        return new Tensor(s, f64, false, null);
    }

    // ---------------------------------------------------------------- reading values

    /** The value of a one-element tensor. */
    public double item() {
        if (shape.size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + shape.size() + " elements, expected 1");
        }
        return f64[0];
    }

    /** The element at a full index. */
    public double get(int... index) {
        if (index.length != shape.rank()) {
            throw new ShapeException("get: index of length " + index.length + " for shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new ShapeException("get: index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            }
            flat = flat * d + index[i];
        }
        return f64[flat];
    }

    /** The element at a row-major flat position. */
    public double getFlat(int i) {
        return f64[i];
    }

    /** A copy of the values in row-major order. */
    public double[] toArray() {
        return f64.clone();
    }

    /** Copies {@code n} values starting at {@code from} into {@code dst} at {@code dstOff}. */
    public void copyTo(int from, double[] dst, int dstOff, int n) {
        System.arraycopy(f64, from, dst, dstOff, n);
    }

    /** A copy of a rank-2 tensor as rows. */
    public double[][] toArray2d() {
        if (rank() != 2) {
            throw new ShapeException("toArray2d: tensor of shape " + shape + " is not rank 2");
        }
        int r = dim(0);
        int c = dim(1);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(f64, i * c, out[i], 0, c);
        }
        return out;
    }

    /** True when no element is NaN or infinite. */
    public boolean allFinite() {
        for (double v : f64) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Raw storage for this package and the kernels' callers in it; never written after construction. */
    double[] f64() {
        return f64;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype);
        if (requiresGrad) {
            sb.append(origin == null ? " leaf(requires grad)" : " <" + origin.opName() + ">");
        }
        sb.append(' ');
        int n = Math.min(size(), 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(f64[i]);
        }
        if (size() > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
