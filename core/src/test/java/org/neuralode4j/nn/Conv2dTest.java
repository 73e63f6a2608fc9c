package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Conv2d (NHWC): output against hand computation and a direct loop, first-order gradients w.r.t. x, W and b. */
@Tag("kernels")
class Conv2dTest {
    /** y[n, i, j, f] = b[f] + Σ_{a, c, ch} x[n, i·s + a − p, j·s + c − p, ch]·w[a, c, ch, f], zero outside. */
    private static double[] directConv(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        int n = x.dim(0);
        int h = x.dim(1);
        int wd = x.dim(2);
        int ch = x.dim(3);
        int k = w.dim(0);
        int f = w.dim(3);
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wd + 2 * pad - k) / stride + 1;
        double[] y = new double[n * oh * ow * f];
        int o = 0;
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int q = 0; q < f; q++) {
                        double acc = b.get(q);
                        for (int a = 0; a < k; a++) {
                            for (int c = 0; c < k; c++) {
                                int r = i * stride + a - pad;
                                int col = j * stride + c - pad;
                                if (r < 0 || r >= h || col < 0 || col >= wd) {
                                    continue;
                                }
                                for (int z = 0; z < ch; z++) {
                                    acc += x.get(s, r, col, z) * w.get(a, c, z, q);
                                }
                            }
                        }
                        y[o++] = acc;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesHandComputation() {
        Conv2d conv = new Conv2d(1, 1, 2, 1, 0, true, Rng.seeded(1));
        // Kernel [[1, 2], [3, 4]] over the 3x3 image 1..9, bias 0.5.
        conv.weight().set(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2, 1, 1));
        conv.bias().orElseThrow().set(Tensor.vector(0.5));
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        // Top-left window 1·1 + 2·2 + 4·3 + 5·4 = 37, then 47, 67, 77.
        assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, conv.forward(x).toArray(), 1e-14);
    }

    @Test
    void forwardMatchesDirectLoops() {
        Rng rng = Rng.seeded(2);
        int[][] configs = {{3, 1, 1}, {1, 1, 0}, {3, 2, 1}, {2, 2, 0}};
        for (int[] c : configs) {
            Conv2d conv = new Conv2d(2, 3, c[0], c[1], c[2], true, rng);
            Tensor x = rng.normal(2, 5, 5, 2);
            double[] expected = directConv(x, conv.weight().value(), conv.bias().orElseThrow().value(), c[1], c[2]);
            assertArrayEquals(expected, conv.forward(x).toArray(), 1e-13, "k=" + c[0] + " stride=" + c[1] + " pad=" + c[2]);
        }
    }

    @Test
    void shapesAndParameterLayout() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, true, Rng.seeded(3));
        assertEquals(List.of(3, 3, 2, 3), List.of(conv.weight().shape().dim(0), conv.weight().shape().dim(1),
                conv.weight().shape().dim(2), conv.weight().shape().dim(3)));
        assertEquals(3 * 3 * 2 * 3 + 3, conv.parameterCount());
        Tensor y = conv.forward(Tensor.zeros(2, 5, 5, 2));
        assertEquals(List.of(2, 3, 3, 3), List.of(y.dim(0), y.dim(1), y.dim(2), y.dim(3)));
        assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(2, 5, 5, 3)));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int[][] configs = {{3, 1, 1}, {1, 1, 0}, {3, 2, 1}};
        Rng rng = Rng.seeded(4);
        for (int[] c : configs) {
            Conv2d conv = new Conv2d(2, 3, c[0], c[1], c[2], true, rng);
            Tensor x = rng.normal(2, 5, 5, 2);
            Tensor probe = conv.forward(x);
            Tensor u = rng.normal(probe.shape().dims());
            ModuleGradCheck.assertWithin("Conv2d N=2 H=W=5 C=2 F=3 k=" + c[0] + " s=" + c[1] + " p=" + c[2] + ": d(x, W, b)",
                    ModuleGradCheck.check(conv, List.of(x), (m, in) -> Ops.dot(((Module) m).forward(in.get(0)), u)), 1e-6);
        }
    }
}
