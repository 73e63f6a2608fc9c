package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The time-conditioned layers (regularisers.md §6, §9.7): ConcatSquash output against the formula, parameter
 * counts, ∂y/∂x = diag(sig)W and the closed-form ∂y/∂t against autodiff and finite differences, zeroLast,
 * CONCAT and IGNORE, the convolutional forms, and gradient checks w.r.t. x, t and every parameter.
 */
@Tag("kernels")
class TimeLayersTest {
    /** F(k²C + 4) parameters of a ConcatSquash convolution with F = 3, k = 3, C = 2. */
    private static final int F_CONV = 3 * (9 * 2 + 4);

    private static double sig(double u) {
        return 1.0 / (1.0 + Math.exp(-u));
    }

    /** The §6.1 formula with plain doubles. */
    private static double[][] concatSquash(ConcatSquashLinear l, double t, double[][] x) {
        double[][] w = l.weight().value().toArray2d();
        double[] b = l.bias().value().toArray();
        double[] wg = l.gateWeight().value().toArray();
        double[] bg = l.gateBias().value().toArray();
        double[] wb = l.shift().value().toArray();
        double[][] y = new double[x.length][w.length];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < w.length; i++) {
                double a = b[i];
                for (int j = 0; j < x[r].length; j++) {
                    a += w[i][j] * x[r][j];
                }
                y[r][i] = a * sig(wg[i] * t + bg[i]) + wb[i] * t;
            }
        }
        return y;
    }

    @Test
    void concatSquashMatchesTheFormula() {
        Rng rng = Rng.seeded(1);
        ConcatSquashLinear l = new ConcatSquashLinear(4, 3, rng);
        double[][] x = rng.normal(5, 4).toArray2d();
        for (double t : new double[] {0.0, 0.7, -2.5}) {
            double[][] expected = concatSquash(l, t, x);
            double[][] got = l.forward(t, Tensor.of(x)).toArray2d();
            for (int r = 0; r < x.length; r++) {
                assertArrayEquals(expected[r], got[r], 1e-14, "t=" + t + " row " + r);
            }
        }
        double[] gate = l.gateAt(0.7).toArray();
        assertEquals(sig(l.gateWeight().value().get(1) * 0.7 + l.gateBias().value().get(1)), gate[1], 1e-15);
    }

    @Test
    void parameterCountsAndNames() {
        assertEquals(3 * (4 + 4), new ConcatSquashLinear(4, 3, Rng.seeded(2)).parameterCount());
        assertEquals(3 * (4 + 2), TimeInput.CONCAT.linear(4, 3, Rng.seeded(2)).parameterCount());
        assertEquals(3 * (4 + 1), TimeInput.IGNORE.linear(4, 3, Rng.seeded(2)).parameterCount());
        TimeSequential field = Mlp.field(new Mlp.FieldConfig(List.of(2, 64, 64, 64, 2), TimeInput.CONCAT_SQUASH,
                Activation.TANH, false), Rng.seeded(3));
        assertEquals(9224, field.parameterCount());
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.0.shift.weight", "layers.0.gate.weight",
                        "layers.0.gate.bias"),
                field.parameters().subList(0, 5).stream().map(Parameter::name).toList());
        assertEquals("layers.6.gate.bias", field.parameters().get(19).name());
        assertEquals(F_CONV, TimeInput.CONCAT_SQUASH.conv2d(2, 3, 3, 1, 1, Rng.seeded(4)).parameterCount());
        assertEquals(3 * (9 * 3 + 1), TimeInput.CONCAT.conv2d(2, 3, 3, 1, 1, Rng.seeded(4)).parameterCount());
    }

    @Test
    void inputJacobianIsGatedWeight() {
        Rng rng = Rng.seeded(5);
        ConcatSquashLinear l = new ConcatSquashLinear(3, 4, rng);
        double t = 0.3;
        Tensor x = rng.normal(1, 3);
        double[][] w = l.weight().value().toArray2d();
        double[] gate = l.gateAt(t).toArray();
        Tensor xLeaf = x.requiringGrad();
        Tensor y = l.forward(t, xLeaf);
        double h = 1e-6;
        for (int i = 0; i < 4; i++) {
            double[] e = new double[4];
            e[i] = 1;
            double[] row = Autograd.grad(List.of(y), List.of(xLeaf), List.of(Tensor.of(e, 1, 4)), false, false).get(0).toArray();
            for (int j = 0; j < 3; j++) {
                double[] xp = x.toArray();
                double[] xm = x.toArray();
                xp[j] += h;
                xm[j] -= h;
                double fd = (l.forward(t, Tensor.of(xp, 1, 3)).get(0, i) - l.forward(t, Tensor.of(xm, 1, 3)).get(0, i)) / (2 * h);
                assertEquals(gate[i] * w[i][j], row[j], 1e-15, "autodiff dy" + i + "/dx" + j);
                assertEquals(gate[i] * w[i][j], fd, 1e-8, "finite difference dy" + i + "/dx" + j);
            }
        }
    }

    @Test
    void timeDerivativeMatchesClosedForm() {
        Rng rng = Rng.seeded(6);
        ConcatSquashLinear l = new ConcatSquashLinear(3, 4, rng);
        double t = -0.4;
        Tensor x = rng.normal(2, 3);
        double[][] w = l.weight().value().toArray2d();
        double[] b = l.bias().value().toArray();
        double[] wg = l.gateWeight().value().toArray();
        double[] bg = l.gateBias().value().toArray();
        double[] wb = l.shift().value().toArray();
        Tensor tLeaf = Tensor.scalar(t).requiringGrad();
        Tensor y = l.forward(tLeaf, x);
        double h = 1e-6;
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 4; i++) {
                double a = b[i];
                for (int j = 0; j < 3; j++) {
                    a += w[i][j] * x.get(r, j);
                }
                double s = sig(wg[i] * t + bg[i]);
                double closed = a * s * (1 - s) * wg[i] + wb[i];
                double[] e = new double[8];
                e[r * 4 + i] = 1;
                double ad = Autograd.grad(List.of(y), List.of(tLeaf), List.of(Tensor.of(e, 2, 4)), false, false).get(0).item();
                double fd = (l.forward(t + h, x).get(r, i) - l.forward(t - h, x).get(r, i)) / (2 * h);
                assertEquals(closed, ad, 1e-14, "autodiff dy/dt");
                assertEquals(closed, fd, 1e-8, "finite difference dy/dt");
            }
        }
    }

    @Test
    void concatSquashGradientsMatchFiniteDifferences() {
        Rng rng = Rng.seeded(7);
        ConcatSquashLinear l = new ConcatSquashLinear(3, 4, rng);
        Tensor x = rng.normal(5, 3);
        Tensor t = Tensor.vector(0.6);
        Tensor u = rng.normal(5, 4);
        ModuleGradCheck.assertWithin("ConcatSquashLinear 3->4, B=5: d(x, t, W, b, w_b, w_g, b_g)",
                ModuleGradCheck.check(l, List.of(x, t), (m, in) -> Ops.dot(((TimeModule) m).forward(in.get(1), in.get(0)), u)), 1e-6);
    }

    @Test
    void concatPrependsTimeAsFirstColumn() {
        Rng rng = Rng.seeded(8);
        ConcatLinear l = new ConcatLinear(2, 3, rng);
        l.weight().set(Tensor.of(new double[][] {{10, 1, 2}, {20, -1, 0}, {0, 0, 1}}));
        l.bias().set(Tensor.vector(1, 2, 3));
        Tensor y = l.forward(0.5, Tensor.of(new double[][] {{1, 1}, {2, -3}}));
        // Row 0: [5 + 3, 10 − 1, 1] + b; row 1: [5 + 2 − 6, 10 − 2, −3] + b.
        assertArrayEquals(new double[] {9, 11, 4, 2, 10, 0}, y.toArray(), 1e-14);
        Tensor x = rng.normal(4, 2);
        Tensor u = rng.normal(4, 3);
        ModuleGradCheck.assertWithin("ConcatLinear 2->3, B=4: d(x, t, W', b)",
                ModuleGradCheck.check(l, List.of(x, Tensor.scalar(1.3)),
                        (m, in) -> Ops.dot(((TimeModule) m).forward(in.get(1), in.get(0)), u)), 1e-6);
    }

    @Test
    void ignoreIsAPlainLinearLayer() {
        TimeModule l = TimeInput.IGNORE.linear(3, 2, Rng.seeded(9));
        Linear inner = assertInstanceOf(Linear.class, assertInstanceOf(TimeModule.IgnoreTime.class, l).inner());
        Tensor x = Rng.seeded(10).normal(4, 3);
        assertArrayEquals(inner.forward(x).toArray(), l.forward(5.0, x).toArray(), 0.0);
        assertArrayEquals(l.forward(-1.0, x).toArray(), l.forward(5.0, x).toArray(), 0.0);
    }

    @Test
    void zeroLastGivesAConstantField() {
        for (TimeInput kind : TimeInput.values()) {
            TimeSequential field = Mlp.field(new Mlp.FieldConfig(List.of(2, 8, 8, 2), kind, Activation.SOFTPLUS, true), Rng.seeded(11));
            Rng rng = Rng.seeded(12);
            Tensor z1 = rng.normal(3, 2);
            Tensor z2 = rng.normal(3, 2);
            assertArrayEquals(field.forward(0.4, z1).toArray(), field.forward(0.4, z2).toArray(), 0.0, kind.name());
            Tensor zLeaf = z1.requiringGrad();
            Tensor vjp = Autograd.grad(List.of(field.forward(0.4, zLeaf)), List.of(zLeaf), List.of(rng.normal(3, 2)), false, true).get(0);
            assertArrayEquals(new double[6], vjp.toArray(), 0.0, kind.name() + ": J = 0");
            TimeModule last = field.layers().get(field.layers().size() - 1);
            for (Parameter p : last.parameters()) {
                boolean allZero = java.util.Arrays.stream(p.value().toArray()).allMatch(v -> v == 0.0);
                assertEquals(!Init.isBias(p), allZero, kind + " " + p.name());
            }
        }
        TimeSequential squash = Mlp.field(new Mlp.FieldConfig(List.of(2, 8, 2), TimeInput.CONCAT_SQUASH, Activation.TANH, true),
                Rng.seeded(13));
        ConcatSquashLinear last = (ConcatSquashLinear) squash.layers().get(2);
        Tensor expected = Ops.mul(last.bias().value(), Ops.sigmoid(last.gateBias().value()));
        assertArrayEquals(expected.toArray(), Ops.slice(squash.forward(0.9, Tensor.zeros(1, 2)), 0, 0, 1).toArray(), 1e-15);
    }

    @Test
    void timeMustBeOneElement() {
        ConcatSquashLinear l = new ConcatSquashLinear(2, 2, Rng.seeded(14));
        assertThrows(ShapeException.class, () -> l.forward(Tensor.vector(0.1, 0.2), Tensor.zeros(1, 2)));
        assertThrows(ShapeException.class, () -> l.forward(0.0, Tensor.zeros(1, 3)));
    }

    @Test
    void concatConvPrependsATimeChannel() {
        Rng rng = Rng.seeded(15);
        ConcatConv2d cc = new ConcatConv2d(2, 3, 3, 1, 1, rng);
        Conv2d plain = new Conv2d(3, 3, 3, 1, 1, true, rng);
        plain.weight().set(cc.weight().value());
        plain.bias().orElseThrow().set(cc.bias().value());
        Tensor x = rng.normal(2, 4, 4, 2);
        Tensor withT = Ops.concat(List.of(Tensor.full(0.8, 2, 4, 4, 1), x), 3);
        assertArrayEquals(plain.forward(withT).toArray(), cc.forward(0.8, x).toArray(), 1e-14);
        Tensor u = rng.normal(2, 4, 4, 3);
        ModuleGradCheck.assertWithin("ConcatConv2d 2->3 k=3 s=1 p=1, N=2 H=W=4: d(x, t, W, b)",
                ModuleGradCheck.check(cc, List.of(x, Tensor.scalar(0.8)),
                        (m, in) -> Ops.dot(((TimeModule) m).forward(in.get(1), in.get(0)), u)), 1e-6);
    }

    @Test
    void concatSquashConvGatesEachChannel() {
        Rng rng = Rng.seeded(16);
        ConcatSquashConv2d cs = new ConcatSquashConv2d(2, 3, 3, 2, 1, rng);
        List<Parameter> ps = cs.parameters();
        Conv2d plain = new Conv2d(2, 3, 3, 2, 1, true, rng);
        plain.weight().set(ps.get(0).value());
        plain.bias().orElseThrow().set(ps.get(1).value());
        double t = -0.3;
        Tensor x = rng.normal(2, 5, 5, 2);
        double[] u = plain.forward(x).toArray();
        double[] wb = ps.get(2).value().toArray();
        double[] wg = ps.get(3).value().toArray();
        double[] bg = ps.get(4).value().toArray();
        double[] expected = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            int f = i % 3;
            expected[i] = u[i] * sig(wg[f] * t + bg[f]) + wb[f] * t;
        }
        assertArrayEquals(expected, cs.forward(t, x).toArray(), 1e-14);
        Tensor proj = rng.normal(2, 3, 3, 3);
        ModuleGradCheck.assertWithin("ConcatSquashConv2d 2->3 k=3 s=2 p=1, N=2 H=W=5: d(x, t, params)",
                ModuleGradCheck.check(cs, List.of(x, Tensor.scalar(t)),
                        (m, in) -> Ops.dot(((TimeModule) m).forward(in.get(1), in.get(0)), proj)), 1e-6);
    }
}
