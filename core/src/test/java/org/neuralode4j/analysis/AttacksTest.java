package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Prediction rules (evaluation.md §0) and the attack-loss gradients against closed forms (§2.1, §7 E-7). */
class AttacksTest {
    @Test
    void predictionRulesBinaryStrictAndArgmaxTiesToLowestIndex() {
        assertArrayEquals(new int[] {1, 0, 0}, Attacks.predict(Tensor.of(new double[] {0.1, 0.0, -2.0}, 3, 1)));
        assertArrayEquals(new int[] {1, 0, 2}, Attacks.predict(Tensor.of(new double[][] {{0, 3, 1}, {2, 2, 1}, {0, 1, 5}})));
    }

    @Test
    void accuracyCountsMatchingLabels() {
        Function<Tensor, Tensor> model = AttackModels.linear(new double[] {1.0, 0.0}, 0.0);
        Tensor x = Tensor.of(new double[][] {{1, 0}, {-1, 0}, {2, 0}, {-3, 0}});
        assertEquals(0.75, Attacks.accuracy(model, x, new int[] {1, 0, 1, 1}), 0.0);
    }

    @Test
    void bceGradientIsSigmoidMinusLabelTimesW() {
        double[] w = {2.0, -1.0};
        double b = 0.5;
        Tensor x = Rng.seeded(4).normal(6, 2);
        int[] y = {1, 0, 1, 1, 0, 0};
        double[] got = Attacks.lossGradient(AttackModels.linear(w, b), x, y).toArray();
        double[][] u = x.toArray2d();
        for (int r = 0; r < 6; r++) {
            double g = AttackModels.linearLogit(w, b, u[r]);
            double coeff = 1.0 / (1.0 + Math.exp(-g)) - y[r];
            assertEquals(coeff * w[0], got[2 * r], 1e-14);
            assertEquals(coeff * w[1], got[2 * r + 1], 1e-14);
        }
    }

    @Test
    void softmaxCrossEntropyGradientIsWTransposeTimesPMinusOneHot() {
        Rng rng = Rng.seeded(5);
        Tensor wt = rng.normal(3, 4);
        Tensor bt = rng.normal(3);
        Function<Tensor, Tensor> model = x -> Ops.linear(x, wt, bt);
        Tensor x = rng.normal(5, 4);
        int[] y = {0, 2, 1, 1, 2};
        // The gradient must not depend on an enclosing no-grad scope (evaluation code runs in one).
        Tensor grad;
        try (GradMode.Scope s = GradMode.noGrad()) {
            grad = Attacks.lossGradient(model, x, y);
        }
        double[][] w = wt.toArray2d();
        double[][] u = x.toArray2d();
        for (int r = 0; r < 5; r++) {
            double[] l = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                l[c] = bt.getFlat(c);
                for (int i = 0; i < 4; i++) {
                    l[c] += w[c][i] * u[r][i];
                }
                max = Math.max(max, l[c]);
            }
            double z = 0.0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(l[c] - max);
            }
            for (int i = 0; i < 4; i++) {
                double expected = 0.0;
                for (int c = 0; c < 3; c++) {
                    expected += w[c][i] * (Math.exp(l[c] - max) / z - (c == y[r] ? 1.0 : 0.0));
                }
                assertEquals(expected, grad.get(r, i), 1e-12);
            }
        }
    }

    @Test
    void marginLossGradientsAreConstantDirections() {
        double[] w = {2.0, -1.0};
        Tensor x = Tensor.of(new double[][] {{0.3, 0.4}, {0.1, -0.2}});
        // Binary: L = −s·g, so ∇L = −s·w.
        Tensor g = Attacks.lossGradient(AttackModels.linear(w, 0.5), x, new int[] {1, 0}, AttackLoss.MARGIN);
        assertArrayEquals(new double[] {-2, 1, 2, -1}, g.toArray(), 0.0);
        // Multiclass: ∇(ℓ_c* − ℓ_y) = W_c* − W_y with c* the best other class.
        Tensor wt = Tensor.of(new double[][] {{1, 0}, {0, 1}, {-1, -1}});
        Function<Tensor, Tensor> model = u -> Ops.linear(u, wt, null);
        Tensor m = Attacks.lossGradient(model, Tensor.of(new double[][] {{2, 1}}), new int[] {0}, AttackLoss.MARGIN);
        assertArrayEquals(new double[] {-1, 1}, m.toArray(), 0.0);
    }
}
