package org.neuralode4j.tensor.kernels;

import java.util.Objects;

/**
 * Element-wise exp, log, tanh, sigmoid and softplus over float arrays: the float32 counterpart of
 * {@link VecMathF64}, with the same contract (n results into a caller-owned array; x and y may be the same array
 * at the same offset). When {@link Kernels#simd()} holds the work goes to {@code simd.SimdVecMathF32} (8 lanes on
 * AVX2), otherwise to {@link PlainVecMathF32}; the two are bit-identical. Accuracy: a few float ulp (see
 * {@code VecMathF32Test} for the measured bounds).
 */
public final class VecMathF32 {
    private VecMathF32() {}

    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.exp(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF32.exp(x, xOff, y, yOff, n);
        }
    }

    public static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.log(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF32.log(x, xOff, y, yOff, n);
        }
    }

    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.tanh(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF32.tanh(x, xOff, y, yOff, n);
        }
    }

    /** tanh's backward with column sums, as {@link VecMathF64#tanhBackwardRows} (row by row: families agree bitwise). */
    public static void tanhBackwardRows(float[] g, float[] y, float[] out, float[] colSums, int m, int n) {
        Objects.checkFromIndexSize(0, (long) m * n, g.length);
        Objects.checkFromIndexSize(0, (long) m * n, y.length);
        Objects.checkFromIndexSize(0, (long) m * n, out.length);
        Objects.checkFromIndexSize(0, n, colSums.length);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.tanhBackwardRows(g, y, out, colSums, m, n);
        } else {
            PlainVecMathF32.tanhBackwardRows(g, y, out, colSums, m, n, 0);
        }
    }

    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.sigmoid(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF32.sigmoid(x, xOff, y, yOff, n);
        }
    }

    public static void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF32.softplus(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF32.softplus(x, xOff, y, yOff, n);
        }
    }

    private static void checkRanges(float[] x, int xOff, float[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
    }
}
