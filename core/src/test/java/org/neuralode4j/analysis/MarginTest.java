package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Margin searches against the closed forms of evaluation.md §7 E-8. */
class MarginTest {
    private static final double[] W = {2.0, -1.0};
    private static final double B = 0.5;

    @Test
    void directionalSearchOnLinearModelIsWithinTheAngularBound() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Tensor x = Tensor.of(new double[][] {{0.3, 0.4}, {-0.5, 0.2}, {0.1, 0.9}});
        int[] y = Attacks.predictNoGrad(model, x);
        double[] m = Margin.directional2d(model, x, y, 64, 2.0, 1e-7);
        for (int b = 0; b < 3; b++) {
            double exact = Math.abs(AttackModels.linearLogit(W, B, FgsmTest.row(x, b))) / AttackModels.norm2(W);
            assertTrue(m[b] >= exact - 1e-7 && m[b] <= exact * 1.0012 + 1e-6, "point " + b + ": " + m[b] + " vs " + exact);
        }
        assertEquals(0.7 / Math.sqrt(5.0), 0.3130495, 1e-7);
    }

    @Test
    void directionalSearchIsExactToTolWhenTheNormalIsASearchDirection() {
        // w ∝ (1, 1): the boundary normal is the direction j = 8 (or 40) of 64.
        double[] w = {1.5, 1.5};
        Function<Tensor, Tensor> model = AttackModels.linear(w, -0.3);
        Tensor x = Rng.seeded(31).normal(0.0, 0.4, 20, 2);
        int[] y = Attacks.predictNoGrad(model, x);
        double tol = 1e-8;
        double[] m = Margin.directional2d(model, x, y, 64, 5.0, tol);
        for (int b = 0; b < 20; b++) {
            double exact = Math.abs(AttackModels.linearLogit(w, -0.3, FgsmTest.row(x, b))) / AttackModels.norm2(w);
            assertEquals(exact, m[b], tol, "point " + b);
        }
    }

    @Test
    void directionalSearchFindsTheTrueMarginWhereTheLinearisedEstimateIsAThousandTimesTooLarge() {
        // g(u) = 10·tanh(5u₁): at u = (1, 0) the margin is 1 but |g|/‖∇g‖ ≈ 1101.3 (§3.4).
        Function<Tensor, Tensor> model = u -> Ops.mul(Ops.tanh(Ops.mul(Ops.slice(u, 1, 0, 1), 5.0)), 10.0);
        double[] m = Margin.directional2d(model, Tensor.of(new double[][] {{1.0, 0.0}}), new int[] {1}, 64, 3.0, 1e-6);
        assertEquals(1.0, m[0], 1e-3);
        double linearised = 10.0 * Math.tanh(5.0) / (50.0 * (1.0 - Math.pow(Math.tanh(5.0), 2)));
        assertEquals(1101.3, linearised, 0.1);
    }

    @Test
    void censoredAndMisclassifiedPoints() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        // Row 0 is 2.3/√5 ≈ 1.03 from the boundary, beyond r_max = 0.5; row 1 is misclassified.
        Tensor x = Tensor.of(new double[][] {{0.9, 0.0}, {0.3, 0.4}});
        double[] m = Margin.directional2d(model, x, new int[] {1, 0}, 16, 0.5, 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, m[0]);
        assertEquals(0.0, m[1]);
        double[] p = Margin.pgdBisection(model, x, new int[] {1, 0}, 0.5, 20, 8, Rng.seeded(2));
        assertEquals(Double.POSITIVE_INFINITY, p[0]);
        assertEquals(0.0, p[1]);
    }

    @Test
    void pgdBisectionOnLinearModelBracketsTheLInfMargin() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Tensor x = Rng.seeded(41).normal(0.0, 0.3, 30, 2);
        int[] y = Attacks.predictNoGrad(model, x);
        double[] m = Margin.pgdBisection(model, x, y, 0.5, 50, 10, Rng.seeded(42));
        for (int b = 0; b < 30; b++) {
            double exact = Math.abs(AttackModels.linearLogit(W, B, FgsmTest.row(x, b))) / AttackModels.norm1(W);
            if (exact >= 0.5) {
                assertEquals(Double.POSITIVE_INFINITY, m[b], "point " + b);
            } else {
                assertTrue(m[b] >= exact && m[b] <= exact + 0.5 * Math.pow(2, -10), "point " + b + ": " + m[b] + " vs " + exact);
            }
        }
        double[] one = Margin.pgdBisection(model, Tensor.of(new double[][] {{0.3, 0.4}}), new int[] {1}, 0.5, 50, 10, Rng.seeded(1));
        assertTrue(one[0] >= 0.7 / 3 && one[0] <= 0.7 / 3 + 0.5 * Math.pow(2, -10));
    }
}
