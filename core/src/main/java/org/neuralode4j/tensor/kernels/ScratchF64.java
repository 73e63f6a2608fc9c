package org.neuralode4j.tensor.kernels;

/**
 * Per-thread scratch arrays for intermediates that never leave the call that makes them, such as the
 * pre-activation gradient of a fused layer's backward pass. A fresh 128 KiB array costs about as much as the
 * 256×64×3 product that fills it (zeroing plus cache misses on memory nobody has touched), so hot kernels borrow
 * these instead. Contents are not zeroed. A slot's array must not be held past the call that borrowed it, and
 * a kernel must not borrow the same slot twice at once.
 */
public final class ScratchF64 {
    /** Slots in use; one per distinct intermediate a kernel needs at the same time. */
    public static final int SLOTS = 2;

    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[SLOTS][0]);

    private ScratchF64() {}

    /** This thread's array for {@code slot}, at least {@code size} long (longer when earlier calls needed more). */
    public static double[] borrow(int slot, int size) {
        double[][] arrays = ARRAYS.get();
        if (arrays[slot].length < size) {
            arrays[slot] = new double[size];
        }
        return arrays[slot];
    }
}
