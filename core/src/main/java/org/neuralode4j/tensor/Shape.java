package org.neuralode4j.tensor;

import java.util.Arrays;

/**
 * Immutable tensor shape, rank 0 to 4, row-major. Rank 0 is a scalar with one element.
 */
public final class Shape {
    /** Highest rank a tensor may have. */
    public static final int MAX_RANK = 4;

    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.size = (int) n;
    }

    /** A shape with the given dimensions; each must be ≥ 0, rank ≤ 4, total size < 2³¹. */
    public static Shape of(int... dims) {
        if (dims.length > MAX_RANK) {
            throw new ShapeException("shape " + Arrays.toString(dims) + ": rank " + dims.length + " exceeds the maximum " + MAX_RANK);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("shape " + Arrays.toString(dims) + ": negative dimension");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new ShapeException("shape " + Arrays.toString(dims) + ": " + n + " elements exceed the limit of a tensor");
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** Dimension i; negative i counts from the end. */
    public int dim(int i) {
        return dims[axis(i)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Normalises a possibly negative axis and checks it. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Product of the dimensions before {@code axis}. */
    public int outer(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public int inner(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with dimension {@code axis} replaced. */
    public Shape withDim(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return of(d);
    }

    /**
     * The NumPy broadcast of two shapes (align trailing dimensions; each pair equal or one of them 1).
     *
     * @throws ShapeException naming {@code op} when the shapes do not broadcast
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw ShapeException.of(op, "shapes do not broadcast (dimension " + i + ": " + da + " vs " + db + ")", a, b);
            }
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    /** True when this shape broadcasts to {@code target} without changing {@code target}. */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
