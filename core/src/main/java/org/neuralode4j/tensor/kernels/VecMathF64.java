package org.neuralode4j.tensor.kernels;

import java.util.Objects;

/**
 * Element-wise exp, log, tanh, sigmoid and softplus over double arrays, for activations and their
 * derivatives. Each method writes n results into a caller-owned array, and x and y may be the same array at the
 * same offset.
 *
 * <p>These are our own polynomial kernels rather than {@code java.lang.Math} or the Vector API's lane-wise
 * {@code EXP}/{@code TANH}/{@code LOG}. On the AVX2 machine we tune on, the latter cost 19–35 ns per element,
 * which would dominate a small network's forward pass. When {@link Kernels#simd()} holds, the work goes to
 * {@code simd.SimdVecMathF64}; otherwise it goes to {@link PlainVecMathF64}. Both give bit-identical results,
 * accurate to a few ulp (see {@link PlainVecMathF64}). The SIMD class is referenced only on the
 * {@code Kernels.simd()} branch, so a JVM without the incubator module never loads it.
 */
public final class VecMathF64 {
    private VecMathF64() {}

    /** y[yOff+i] = e^x[xOff+i] for i in [0, n). */
    public static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.exp(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF64.exp(x, xOff, y, yOff, n);
        }
    }

    /** y[yOff+i] = ln x[xOff+i] for i in [0, n): −Inf at ±0, NaN below 0. */
    public static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.log(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF64.log(x, xOff, y, yOff, n);
        }
    }

    /** y[yOff+i] = tanh x[xOff+i] for i in [0, n). */
    public static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.tanh(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF64.tanh(x, xOff, y, yOff, n);
        }
    }

    /**
     * tanh's backward over an m×n row-major block with the column sums on the side: out = g·(1 − y²) element by
     * element, and colSums[j] += Σ_i out[i][j] (row by row, so both kernel families sum in the same order and
     * agree bit for bit). The bias gradient of a fused linear+tanh layer comes out of the same pass.
     */
    public static void tanhBackwardRows(double[] g, double[] y, double[] out, double[] colSums, int m, int n) {
        java.util.Objects.checkFromIndexSize(0, (long) m * n, g.length);
        java.util.Objects.checkFromIndexSize(0, (long) m * n, y.length);
        java.util.Objects.checkFromIndexSize(0, (long) m * n, out.length);
        java.util.Objects.checkFromIndexSize(0, n, colSums.length);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.tanhBackwardRows(g, y, out, colSums, m, n);
        } else {
            PlainVecMathF64.tanhBackwardRows(g, y, out, colSums, m, n, 0);
        }
    }

    /** y[yOff+i] = 1/(1 + e^−x[xOff+i]) for i in [0, n): tiny but nonzero for very negative x. */
    public static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.sigmoid(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF64.sigmoid(x, xOff, y, yOff, n);
        }
    }

    /** y[yOff+i] = ln(1 + e^x[xOff+i]) for i in [0, n), computed as max(x, 0) + log1p(e^−|x|). */
    public static void softplus(double[] x, int xOff, double[] y, int yOff, int n) {
        checkRanges(x, xOff, y, yOff, n);
        if (Kernels.simd()) {
            org.neuralode4j.tensor.kernels.simd.SimdVecMathF64.softplus(x, xOff, y, yOff, n);
        } else {
            PlainVecMathF64.softplus(x, xOff, y, yOff, n);
        }
    }

    /** Up front, so a bad range throws before any element is written. */
    private static void checkRanges(double[] x, int xOff, double[] y, int yOff, int n) {
        Objects.checkFromIndexSize(xOff, n, x.length);
        Objects.checkFromIndexSize(yOff, n, y.length);
    }
}
