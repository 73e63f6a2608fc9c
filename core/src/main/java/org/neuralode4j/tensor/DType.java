package org.neuralode4j.tensor;

import java.util.Locale;

/**
 * Element type of a tensor: float64 ({@code double[]} storage) or float32 ({@code float[]}). Code outside
 * {@code tensor} and {@code tensor.kernels} never assumes the storage type: it goes through {@link Tensor}'s
 * accessors (which read values as double whatever the dtype) and the ops, which keep their inputs' dtype and
 * reject mixed dtypes ({@link DTypeException}); {@code Ops.cast} converts explicitly.
 */
public enum DType {
    /** IEEE-754 binary64. */
    F64(8),
    /** IEEE-754 binary32. */
    F32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name users type and files record: {@code f64} or {@code f32}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The dtype named by {@code f32}/{@code float32}/{@code f64}/{@code float64} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DType parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "f32":
            case "float32":
                return F32;
            case "f64":
            case "float64":
                return F64;
            default:
                throw new IllegalArgumentException("'" + text + "' is not a dtype: use f32 or f64");
        }
    }

    /** {@code value} rounded to this dtype (to the nearest float for F32), as a double. */
    public double round(double value) {
        return this == F32 ? (float) value : value;
    }
}
