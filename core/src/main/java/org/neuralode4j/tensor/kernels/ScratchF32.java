package org.neuralode4j.tensor.kernels;

/**
 * Per-thread scratch arrays for intermediates that never leave the call that makes them, such as the
 *
 * <p><b>Float32 twin of {@code ScratchF64}</b>, generated from it by a type substitution (double → float, 4 → 8 lanes)
 * and kept in step with it by hand: Java has no generics over primitive arrays, and the innermost loops must
 * stay monomorphic to vectorise. The structure, blockings and the measurements quoted below are the float64 scratch's; with
 * twice the lanes per register the float32 tiles cover twice the columns.
 *
 * pre-activation gradient of a fused layer's backward pass. A fresh 128 KiB array costs about as much as the
 * 256×64×3 product that fills it (zeroing plus cache misses on memory nobody has touched), so hot kernels borrow
 * these instead. Contents are not zeroed. A slot's array must not be held past the call that borrowed it, and
 * a kernel must not borrow the same slot twice at once.
 */
public final class ScratchF32 {
    /** Slots in use; one per distinct intermediate a kernel needs at the same time. */
    public static final int SLOTS = 2;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private ScratchF32() {}

    /** This thread's array for {@code slot}, at least {@code size} long (longer when earlier calls needed more). */
    public static float[] borrow(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        if (arrays[slot].length < size) {
            arrays[slot] = new float[size];
        }
        return arrays[slot];
    }
}
