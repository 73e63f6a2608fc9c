package org.neuralode4j.tensor;

/**
 * Element type of a tensor. Only F64 exists now; F32 will follow for image workloads. Code outside
 * {@code tensor} and {@code tensor.kernels} never assumes the storage type: it goes through {@link Tensor}'s
 * accessors and the ops.
 */
public enum DType {
    /** IEEE-754 binary64. */
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
