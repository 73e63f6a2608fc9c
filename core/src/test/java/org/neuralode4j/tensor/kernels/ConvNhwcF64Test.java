package org.neuralode4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ConvNhwcF64 against direct loops over the convolution sum: forward, input gradient, weight gradient,
 * and average pooling with its backward, on 1×1 and 3×3 (and rectangular) kernels, strides 1 and 2,
 * padding 0 and 1, odd sizes and C ≠ F; plus the adjoint identity
 * ⟨conv(x, w), gy⟩ = ⟨x, inputGrad(gy, w)⟩ = ⟨w, weightGrad(x, gy)⟩, and the threaded split.
 */
@Tag("kernels")
class ConvNhwcF64Test {
    /** {N, H, W, C, KH, KW, F, stride, pad}. */
    private static final int[][] CASES = {
        {2, 5, 5, 3, 3, 3, 4, 1, 1},
        {1, 7, 6, 2, 3, 3, 5, 2, 1},
        {3, 4, 4, 3, 1, 1, 2, 1, 0},
        {2, 5, 7, 4, 1, 1, 3, 2, 0},
        {1, 6, 5, 3, 1, 1, 2, 1, 1},
        {2, 9, 8, 5, 3, 3, 3, 2, 0},
        {1, 5, 6, 2, 2, 3, 7, 1, 1},
        {1, 3, 3, 1, 3, 3, 1, 1, 0},
        {4, 28, 28, 16, 3, 3, 16, 1, 1},
        {2, 11, 13, 6, 5, 5, 9, 3, 2},
    };

    @Test
    void forwardAndGradientsMatchDirectLoops() {
        Random r = new Random(3);
        for (int[] s : CASES) {
            checkCase(s, r);
        }
    }

    @Test
    void threadedSplitMatchesDirectLoops() {
        int saved = KernelTuning.maxThreads();
        KernelTuning.setMaxThreads(2);
        try {
            Random r = new Random(4);
            // Stride 1 by images and (N=1) by bands of rows, im2row (stride 2), pointwise (one GEMM).
            int[][] cases = {{6, 22, 21, 8, 3, 3, 12, 1, 1}, {1, 48, 45, 10, 3, 3, 12, 1, 1}, {5, 41, 40, 10, 3, 3, 12, 2, 1},
                {7, 24, 24, 32, 1, 1, 24, 1, 0}};
            for (int[] s : cases) {
                long work = (long) s[0] * ((s[1] + 2 * s[8] - s[4]) / s[7] + 1) * ((s[2] + 2 * s[8] - s[5]) / s[7] + 1)
                        * s[3] * s[4] * s[5] * s[6];
                if (work < KernelTuning.GEMM_PARALLEL_FLOPS) {
                    fail("case below the threading threshold: " + Arrays.toString(s));
                }
                checkCase(s, r);
            }
        } finally {
            KernelTuning.setMaxThreads(saved);
        }
    }

    @Test
    void avgPoolMatchesDirectLoops() {
        Random r = new Random(8);
        int[][] cases = {{2, 6, 6, 3, 2, 2}, {1, 7, 5, 2, 3, 2}, {3, 4, 4, 5, 1, 1}, {1, 5, 5, 1, 5, 1}, {2, 9, 7, 4, 3, 3}};
        for (int[] s : cases) {
            int n = s[0];
            int h = s[1];
            int w = s[2];
            int c = s[3];
            int k = s[4];
            int stride = s[5];
            int oh = (h - k) / stride + 1;
            int ow = (w - k) / stride + 1;
            double[] x = random(r, n * h * w * c);
            double[] y = filled(n * oh * ow * c);
            ConvNhwcF64.avgPool2d(x, n, h, w, c, k, stride, y);
            double[] gy = random(r, y.length);
            double[] gx = filled(x.length);
            ConvNhwcF64.avgPool2dBackward(gy, n, h, w, c, k, stride, gx);
            double[] yRef = new double[y.length];
            double[] gxRef = new double[x.length];
            for (int img = 0; img < n; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ch = 0; ch < c; ch++) {
                            int o = ((img * oh + oy) * ow + ox) * c + ch;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int i = ((img * h + oy * stride + ky) * w + ox * stride + kx) * c + ch;
                                    yRef[o] += x[i] / (k * k);
                                    gxRef[i] += gy[o] / (k * k);
                                }
                            }
                        }
                    }
                }
            }
            String what = Arrays.toString(s);
            assertClose(yRef, y, 1e-13, "avgPool2d " + what);
            assertClose(gxRef, gx, 1e-13, "avgPool2dBackward " + what);
            assertEquals(dot(y, gy), dot(x, gx), 1e-12, "pool adjoint " + what);
        }
    }

    @Test
    void rejectsBadGeometry() {
        double[] a = new double[100];
        assertThrows(IllegalArgumentException.class, () -> ConvNhwcF64.conv2d(a, 1, 2, 2, 1, a, 3, 3, 1, 1, 0, a));
        assertThrows(IllegalArgumentException.class, () -> ConvNhwcF64.conv2d(a, 1, 4, 4, 1, a, 3, 3, 1, 0, 0, a));
        assertThrows(IndexOutOfBoundsException.class, () -> ConvNhwcF64.conv2d(a, 1, 8, 8, 2, a, 1, 1, 1, 1, 0, a));
        assertThrows(IllegalArgumentException.class, () -> ConvNhwcF64.avgPool2d(a, 1, 2, 2, 1, 3, 1, a));
    }

    // ------------------------------------------------------------------ harness

    private static void checkCase(int[] s, Random r) {
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
        double[] x = random(r, n * h * w * c);
        double[] wt = random(r, kh * kw * c * f);
        double[] gy = random(r, n * oh * ow * f);
        double[] yRef = new double[gy.length];
        double[] gxRef = new double[x.length];
        double[] gwRef = new double[wt.length];
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                int xi = ((img * h + iy) * w + ix) * c + ch;
                                for (int o = 0; o < f; o++) {
                                    int yi = ((img * oh + oy) * ow + ox) * f + o;
                                    int wi = ((ky * kw + kx) * c + ch) * f + o;
                                    yRef[yi] += x[xi] * wt[wi];
                                    gxRef[xi] += gy[yi] * wt[wi];
                                    gwRef[wi] += x[xi] * gy[yi];
                                }
                            }
                        }
                    }
                }
            }
        }
        // Outputs start as garbage: each method must overwrite its output entirely.
        double[] y = filled(yRef.length);
        double[] gx = filled(gxRef.length);
        double[] gw = filled(gwRef.length);
        ConvNhwcF64.conv2d(x, n, h, w, c, wt, kh, kw, f, stride, pad, y);
        ConvNhwcF64.conv2dInputGrad(gy, n, h, w, c, wt, kh, kw, f, stride, pad, gx);
        ConvNhwcF64.conv2dWeightGrad(x, gy, n, h, w, c, kh, kw, f, stride, pad, gw);
        String what = Arrays.toString(s);
        int taps = kh * kw * c;
        assertClose(yRef, y, 1e-12 * (taps + 1), "conv2d " + what);
        assertClose(gxRef, gx, 1e-12 * (kh * kw * f + 1), "conv2dInputGrad " + what);
        assertClose(gwRef, gw, 1e-12 * (n * oh * ow + 1), "conv2dWeightGrad " + what);
        double lhs = dot(y, gy);
        double tol = 1e-11 * (Math.abs(lhs) + Math.sqrt(gy.length * taps));
        assertEquals(lhs, dot(x, gx), tol, "adjoint <conv(x,w),gy> = <x,inputGrad> " + what);
        assertEquals(lhs, dot(wt, gw), tol, "adjoint <conv(x,w),gy> = <w,weightGrad> " + what);
    }

    private static double[] random(Random r, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextDouble() - 0.5;
        }
        return x;
    }

    private static double[] filled(int size) {
        double[] x = new double[size];
        Arrays.fill(x, Double.NaN);
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
