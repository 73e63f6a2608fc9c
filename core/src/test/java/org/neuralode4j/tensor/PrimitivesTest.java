package org.neuralode4j.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Forward values of the primitives against index-by-index reference loops. */
@Tag("kernels")
class PrimitivesTest {
    private final Rng rng = Rng.seeded(3);

    /** Reference broadcast binary op by explicit multi-indices. */
    private static double[] naiveBroadcastMul(Tensor a, Tensor b, Shape out) {
        double[] r = new double[out.size()];
        int[] idx = new int[out.rank()];
        for (int flat = 0; flat < r.length; flat++) {
            int rem = flat;
            for (int i = out.rank() - 1; i >= 0; i--) {
                idx[i] = rem % out.dim(i);
                rem /= out.dim(i);
            }
            r[flat] = at(a, idx) * at(b, idx);
        }
        return r;
    }

    private static double at(Tensor t, int[] outIdx) {
        int off = outIdx.length - t.rank();
        int flat = 0;
        for (int i = 0; i < t.rank(); i++) {
            int d = t.dim(i);
            flat = flat * d + (d == 1 ? 0 : outIdx[i + off]);
        }
        return t.getFlat(flat);
    }

    @Test
    void broadcastingMatchesTheReference() {
        int[][][] shapes = {{{3, 4}, {4}}, {{2, 3, 4}, {3, 1}}, {{2, 1, 4}, {1, 3, 1}}, {{5, 1}, {1, 6}},
            {{2, 2, 3, 2}, {2, 1, 3, 1}}, {{4}, {3, 4}}, {{}, {2, 2}}, {{3, 1, 2}, {3, 4, 2}}};
        for (int[][] s : shapes) {
            Tensor a = rng.normal(s[0]);
            Tensor b = rng.normal(s[1]);
            Tensor c = Primitives.mul(a, b);
            assertArrayEquals(naiveBroadcastMul(a, b, c.shape()), c.toArray(), 0.0, c.shape().toString());
            Tensor back = Primitives.sumTo(c, b.shape());
            assertEquals(b.shape(), back.shape());
            double total = 0;
            for (double v : c.toArray()) {
                total += v;
            }
            double backTotal = 0;
            for (double v : back.toArray()) {
                backTotal += v;
            }
            assertEquals(total, backTotal, 1e-12);
        }
    }

    @Test
    void permuteMovesEveryElementToItsPlace() {
        Tensor a = rng.normal(2, 3, 4, 5);
        Tensor p = Primitives.permute(a, 3, 1, 0, 2);
        assertEquals(Shape.of(5, 3, 2, 4), p.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 5; l++) {
                        assertEquals(a.get(i, j, k, l), p.get(l, j, i, k));
                    }
                }
            }
        }
    }

    @Test
    void concatSliceAndIndexing() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{5}, {6}});
        Tensor c = Primitives.concat(List.of(a, b), 1);
        assertArrayEquals(new double[] {1, 2, 5, 3, 4, 6}, c.toArray());
        assertArrayEquals(new double[] {2, 5, 4, 6}, Primitives.slice(c, 1, 1, 3).toArray());
        assertArrayEquals(new double[] {3, 4, 1, 2, 3, 4}, Primitives.indexSelect(a, new int[] {1, 0, 1}).toArray());
        assertArrayEquals(new double[] {4, 6, 0, 0}, Primitives.indexAdd(a, new int[] {0, 0}, 2).toArray());
        int[] arg = new int[2];
        Tensor m = Primitives.maxAlong(Tensor.of(new double[][] {{1, 7, 7}, {-1, -3, -2}}), 1, arg);
        assertArrayEquals(new double[] {7, -1}, m.toArray());
        assertArrayEquals(new int[] {1, 0}, arg);
        assertThrows(ShapeException.class, () -> Primitives.slice(c, 1, 2, 4));
        assertThrows(ShapeException.class, () -> Primitives.indexSelect(a, new int[] {2}));
    }

    @Test
    void matmulVariantsAgree() {
        Tensor a = rng.normal(3, 4);
        Tensor b = rng.normal(4, 5);
        Tensor ab = Primitives.matmul(a, b, false, false);
        Tensor at = Primitives.permute(a, 1, 0);
        Tensor bt = Primitives.permute(b, 1, 0);
        assertArrayEquals(ab.toArray(), Primitives.matmul(at, b, true, false).toArray(), 1e-13);
        assertArrayEquals(ab.toArray(), Primitives.matmul(a, bt, false, true).toArray(), 1e-13);
        assertArrayEquals(ab.toArray(), Primitives.matmul(at, bt, true, true).toArray(), 1e-13);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                assertEquals(s, ab.get(i, j), 1e-13);
            }
        }
    }

    @Test
    void unaryOpsMatchJavaMath() {
        Tensor x = rng.uniform(-5, 5, 1000);
        double[] v = x.toArray();
        double[] e = Primitives.unary(Primitives.Unary.EXP, x).toArray();
        double[] t = Primitives.unary(Primitives.Unary.TANH, x).toArray();
        double[] s = Primitives.unary(Primitives.Unary.SIGMOID, x).toArray();
        double[] sp = Primitives.unary(Primitives.Unary.SOFTPLUS, x).toArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(Math.exp(v[i]), e[i], 1e-14 * Math.exp(v[i]));
            assertEquals(Math.tanh(v[i]), t[i], 1e-15);
            assertEquals(1 / (1 + Math.exp(-v[i])), s[i], 1e-15);
            assertEquals(Math.log1p(Math.exp(v[i])), sp[i], 1e-14);
        }
    }
}
