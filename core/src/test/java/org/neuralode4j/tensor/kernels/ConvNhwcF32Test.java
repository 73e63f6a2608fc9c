package org.neuralode4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvNhwcF32} against {@link ConvNhwcF64} (itself checked against direct loops in ConvNhwcF64Test) on
 * the same float-representable inputs, over the geometries of that test (1×1, strided, padded, the shifted-GEMM
 * and im2row paths) single- and two-threaded, and average pooling. Tagged {@code kernels}.
 */
@Tag("kernels")
class ConvNhwcF32Test {
    /** {N, H, W, C, KH, KW, F, stride, pad}. */
    private static final int[][] CASES = {
        {2, 5, 5, 3, 3, 3, 4, 1, 1}, {1, 7, 6, 2, 3, 3, 5, 2, 1}, {3, 4, 4, 3, 1, 1, 2, 1, 0}, {2, 5, 7, 4, 1, 1, 3, 2, 0},
        {1, 6, 5, 3, 1, 1, 2, 1, 1}, {2, 9, 8, 5, 3, 3, 3, 2, 0}, {1, 5, 6, 2, 2, 3, 7, 1, 1}, {1, 3, 3, 1, 3, 3, 1, 1, 0},
        {4, 28, 28, 16, 3, 3, 16, 1, 1}, {2, 11, 13, 6, 5, 5, 9, 3, 2}, {6, 22, 21, 8, 3, 3, 12, 1, 1},
        {5, 41, 40, 10, 3, 3, 12, 2, 1}, {7, 24, 24, 32, 1, 1, 24, 1, 0}};

    @Test
    void matchesTheFloat64KernelsOneAndTwoThreads() {
        int saved = KernelTuning.maxThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                KernelTuning.setMaxThreads(threads);
                Random r = new Random(17);
                for (int[] s : CASES) {
                    checkCase(s, r, threads);
                }
            }
        } finally {
            KernelTuning.setMaxThreads(saved);
        }
    }

    @Test
    void avgPoolMatchesTheFloat64Kernel() {
        Random r = new Random(4);
        for (int[] s : new int[][] {{2, 6, 6, 3, 2, 2}, {1, 7, 5, 2, 3, 2}, {3, 4, 4, 5, 1, 1}, {2, 9, 7, 4, 3, 3}}) {
            int n = s[0];
            int h = s[1];
            int w = s[2];
            int c = s[3];
            int k = s[4];
            int stride = s[5];
            int oh = (h - k) / stride + 1;
            int ow = (w - k) / stride + 1;
            float[] x = random(r, n * h * w * c);
            float[] y = new float[n * oh * ow * c];
            double[] y64 = new double[y.length];
            ConvNhwcF32.avgPool2d(x, n, h, w, c, k, stride, y);
            ConvNhwcF64.avgPool2d(widen(x), n, h, w, c, k, stride, y64);
            assertClose(y64, y, 1e-6, "avgPool2d " + Arrays.toString(s));
            float[] gx = new float[x.length];
            double[] gx64 = new double[x.length];
            ConvNhwcF32.avgPool2dBackward(y, n, h, w, c, k, stride, gx);
            ConvNhwcF64.avgPool2dBackward(widen(y), n, h, w, c, k, stride, gx64);
            assertClose(gx64, gx, 1e-6, "avgPool2dBackward " + Arrays.toString(s));
        }
    }

    /**
     * Entries are in [-0.5, 0.5), so an output summing t products is bounded by t/4; float32 errs by about √t·u
     * of that in practice and t·u at worst (u = 2^-24): 1e-6 per unit of the bound (17·u) separates rounding from
     * a wrong or missing tap (about 0.1).
     */
    private static void checkCase(int[] s, Random r, int threads) {
        int n = s[0];
        int h = s[1];
        int w = s[2];
        int c = s[3];
        int kh = s[4];
        int kw = s[5];
        int f = s[6];
        int stride = s[7];
        int pad = s[8];
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        float[] x = random(r, n * h * w * c);
        float[] wt = random(r, kh * kw * c * f);
        float[] gy = random(r, n * oh * ow * f);
        float[] y = filled(gy.length);
        float[] gx = filled(x.length);
        float[] gw = filled(wt.length);
        double[] y64 = new double[gy.length];
        double[] gx64 = new double[x.length];
        double[] gw64 = new double[wt.length];
        ConvNhwcF32.conv2d(x, n, h, w, c, wt, kh, kw, f, stride, pad, y);
        ConvNhwcF32.conv2dInputGrad(gy, n, h, w, c, wt, kh, kw, f, stride, pad, gx);
        ConvNhwcF32.conv2dWeightGrad(x, gy, n, h, w, c, kh, kw, f, stride, pad, gw);
        ConvNhwcF64.conv2d(widen(x), n, h, w, c, widen(wt), kh, kw, f, stride, pad, y64);
        ConvNhwcF64.conv2dInputGrad(widen(gy), n, h, w, c, widen(wt), kh, kw, f, stride, pad, gx64);
        ConvNhwcF64.conv2dWeightGrad(widen(x), widen(gy), n, h, w, c, kh, kw, f, stride, pad, gw64);
        String what = Arrays.toString(s) + " threads=" + threads;
        assertClose(y64, y, 1e-6 * (kh * kw * c / 4.0 + 1), "conv2d " + what);
        assertClose(gx64, gx, 1e-6 * (kh * kw * f / 4.0 + 1), "conv2dInputGrad " + what);
        assertClose(gw64, gw, 1e-6 * (n * oh * ow / 4.0 + 1), "conv2dWeightGrad " + what);
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
        }
        return x;
    }

    private static float[] filled(int size) {
        float[] x = new float[size];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    private static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": index " + i + " f64 " + expected[i] + " but f32 " + actual[i]);
            }
        }
    }
}
