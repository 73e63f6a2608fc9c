package org.neuralode4j.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable dense n-d array (rank 0–4, row-major) with a dtype, an id, a requires-grad flag and, when an
 * op recorded it for differentiation, its {@link GradOrigin}.
 *
 * <p>Tensors never change after construction; arithmetic lives in {@code autodiff.ops.Ops} (recorded) and in
 * {@link Primitives} (values only). Two tensors may share storage (reshape, detach): sharing is safe because
 * nobody writes to it. Storage is reachable only from this package and the kernels: a {@code double[]} for
 * {@link DType#F64}, a {@code float[]} for {@link DType#F32}. Readers outside see values as double either way.
 */
public final class Tensor {
    private static final AtomicLong IDS = new AtomicLong();

    private final Shape shape;
    private final DType dtype;
    private final double[] f64;
    private final float[] f32;
    private final long id;
    private final boolean requiresGrad;
    private final GradOrigin origin;

    Tensor(Shape shape, double[] f64, boolean requiresGrad, GradOrigin origin) {
        this(shape, DType.F64, f64, null, f64.length, requiresGrad, origin);
    }

    Tensor(Shape shape, float[] f32, boolean requiresGrad, GradOrigin origin) {
        this(shape, DType.F32, null, f32, f32.length, requiresGrad, origin);
    }

    private Tensor(Shape shape, DType dtype, double[] f64, float[] f32, int length, boolean requiresGrad, GradOrigin origin) {
        if (length != shape.size()) {
            throw new ShapeException("tensor: " + length + " values do not fill shape " + shape);
        }
        this.shape = shape;
        this.dtype = dtype;
        this.f64 = f64;
        this.f32 = f32;
        this.id = IDS.incrementAndGet();
        this.requiresGrad = requiresGrad;
        this.origin = origin;
    }

    /** Wraps freshly computed values without copying; only for this package's producers. */
    static Tensor wrap(Shape shape, double[] values) {
        return new Tensor(shape, values, false, null);
    }

    /** Wraps freshly computed float32 values without copying; only for this package's producers. */
    static Tensor wrap(Shape shape, float[] values) {
        return new Tensor(shape, values, false, null);
    }

    /** A tensor sharing this one's storage, with another shape, grad flag and origin. */
    private Tensor sharing(Shape s, boolean requiresGrad, GradOrigin node) {
        return new Tensor(s, dtype, f64, f32, shape.size(), requiresGrad, node);
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

    /** A tensor of the given dtype holding {@code values} (rounded to float for F32) in the given shape. */
    public static Tensor of(DType dtype, double[] values, int... dims) {
        Tensor t = of(values, dims);
        return dtype == DType.F64 ? t : t.to(dtype);
    }

    public static Tensor scalar(DType dtype, double value) {
        return dtype == DType.F64 ? scalar(value) : new Tensor(Shape.SCALAR, new float[] {(float) value}, false, null);
    }

    public static Tensor zeros(DType dtype, Shape s) {
        return dtype == DType.F64 ? zeros(s) : new Tensor(s, new float[s.size()], false, null);
    }

    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    public static Tensor full(DType dtype, double value, Shape s) {
        if (dtype == DType.F64) {
            return full(value, s);
        }
        float[] v = new float[s.size()];
        Arrays.fill(v, (float) value);
        return new Tensor(s, v, false, null);
    }

    /**
     * The values converted to {@code dtype} (rounded to nearest for F64 → F32), a new tensor not recorded for
     * gradients; this tensor itself when it already has that dtype. The differentiable form is {@code Ops.cast}.
     */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        int n = shape.size();
        if (target == DType.F32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) f64[i];
            }
            return new Tensor(shape, v, false, null);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f32[i];
        }
        return new Tensor(shape, v, false, null);
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
        return sharing(shape, true, null);
    }

    /** The same values cut from the graph: no gradient flows through the result. */
    public Tensor detach() {
        return requiresGrad || origin != null ? sharing(shape, false, null) : this;
    }

    /** The same values recorded as produced by {@code node}; used by {@code autodiff} only. */
    public Tensor withOrigin(GradOrigin node) {
        return sharing(shape, true, node);
    }

    /** The same values seen with another shape of equal size (no copy). Not recorded: use {@code Ops.reshape}. */
    Tensor reshapeValues(Shape s) {
        if (s.size() != shape.size()) {
            throw ShapeException.of("reshape", "sizes differ", shape, s);
        }
        return sharing(s, false, null);
    }

    // ---------------------------------------------------------------- reading values

    /** The value of a one-element tensor. */
    public double item() {
        if (shape.size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + shape.size() + " elements, expected 1");
        }
        return getFlat(0);
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
        return getFlat(flat);
    }

    /** The element at a row-major flat position. */
    public double getFlat(int i) {
        return f64 != null ? f64[i] : f32[i];
    }

    /** A copy of the values in row-major order, as doubles whatever the dtype. */
    public double[] toArray() {
        if (f64 != null) {
            return f64.clone();
        }
        double[] out = new double[f32.length];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** Copies {@code n} values starting at {@code from} into {@code dst} at {@code dstOff} (widened from F32). */
    public void copyTo(int from, double[] dst, int dstOff, int n) {
        if (f64 != null) {
            System.arraycopy(f64, from, dst, dstOff, n);
            return;
        }
        java.util.Objects.checkFromIndexSize(from, n, f32.length);
        java.util.Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = f32[from + i];
        }
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
            copyTo(i * c, out[i], 0, c);
        }
        return out;
    }

    /** True when no element is NaN or infinite. */
    public boolean allFinite() {
        if (f32 != null) {
            for (float v : f32) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
        for (double v : f64) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Raw storage for this package and the kernels' callers in it; never written after construction. */
    double[] f64() {
        if (f64 == null) {
            throw new IllegalStateException("float64 storage asked of a " + dtype.label() + " tensor " + shape);
        }
        return f64;
    }

    /** Raw float32 storage; as {@link #f64()}. */
    float[] f32() {
        if (f32 == null) {
            throw new IllegalStateException("float32 storage asked of a " + dtype.label() + " tensor " + shape);
        }
        return f32;
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
            sb.append(f64 != null ? Double.toString(f64[i]) : Float.toString(f32[i]));
        }
        if (size() > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
