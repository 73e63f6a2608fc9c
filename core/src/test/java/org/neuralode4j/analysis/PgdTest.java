package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** PGD (evaluation.md §2.3): closed-form behaviour on a linear model, projection invariants, comparison with FGSM. */
class PgdTest {
    private static final double[] W = {2.0, -1.0};
    private static final double B = 0.5;
    private static final double[] EPS = {0.0, 0.05, 0.1, 0.2, 0.3};

    @Test
    void linearModelRobustAccuracyEqualsLInfMarginCount() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Rng rng = Rng.seeded(21);
        int n = 150;
        Tensor x = rng.normal(0.0, 0.3, n, 2);
        int[] y = new int[n];
        for (int b = 0; b < n; b++) {
            y[b] = rng.nextDouble() < 0.8 ? (AttackModels.linearLogit(W, B, FgsmTest.row(x, b)) > 0 ? 1 : 0) : rng.nextInt(2);
        }
        double[] got = Pgd.accuracy(model, x, y, EPS, Rng.seeded(1), null);
        for (int e = 0; e < EPS.length; e++) {
            assertEquals(FgsmTest.expectedRobust(x, y, EPS[e]), got[e], 0.0, "eps " + EPS[e]);
        }
    }

    @Test
    void linearModelEndsAtTheFgsmCornerFromARandomStart() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Tensor u = Tensor.of(new double[][] {{0.3, 0.4}, {-0.2, 0.1}});
        int[] y = {1, 0};
        double eps = 0.1;
        // α·S = 2.5ε exceeds the ball's diameter 2ε, so every coordinate reaches its bound.
        Tensor adv = Pgd.attack(model, u, y, eps, 20, 2.5 * eps / 20, true, Rng.seeded(3), null);
        assertArrayEquals(Fgsm.attack(model, u, y, eps, null).toArray(), adv.toArray(), 1e-15);
    }

    @Test
    void iteratesStayInTheBallAndTheBox() {
        Function<Tensor, Tensor> model = AttackModels.tanhMlp(16, 7);
        Rng rng = Rng.seeded(8);
        Tensor x = rng.uniform(0.0, 1.0, 64, 2);
        int[] y = Attacks.predictNoGrad(model, x);
        Attacks.Box box = new Attacks.Box(0.0, 1.0);
        for (double eps : new double[] {0.05, 0.3}) {
            Tensor adv = Pgd.attack(model, x, y, eps, 10, 0.5 * eps, true, rng, box);
            for (int i = 0; i < x.size(); i++) {
                double v = adv.getFlat(i);
                assertTrue(Math.abs(v - x.getFlat(i)) <= eps + 1e-12, "outside the ball at " + i);
                assertTrue(v >= 0.0 && v <= 1.0, "outside the box at " + i);
            }
        }
    }

    @Test
    void pgdIsNoWeakerThanFgsmOnATanhMlpAndMatchesCleanAtZero() {
        Function<Tensor, Tensor> model = AttackModels.tanhMlp(16, 7);
        Tensor x = Rng.seeded(9).normal(0.0, 1.0, 200, 2);
        int[] y = Attacks.predictNoGrad(model, x);
        double[] fgsm = Fgsm.accuracy(model, x, y, EPS, null);
        double[] pgd = Pgd.accuracy(model, x, y, EPS, Rng.seeded(10), null);
        assertEquals(1.0, fgsm[0], 0.0);
        assertEquals(1.0, pgd[0], 0.0);
        for (int e = 0; e < EPS.length; e++) {
            assertTrue(pgd[e] <= fgsm[e], "eps " + EPS[e] + ": PGD " + pgd[e] + " > FGSM " + fgsm[e]);
        }
        assertTrue(pgd[EPS.length - 1] < 1.0, "the attack should break something at eps 0.3");
    }

    @Test
    void anyIterateRuleIsNeverWeakerThanFinalOnlyAndSeedsAreReproducible() {
        Function<Tensor, Tensor> model = AttackModels.tanhMlp(16, 7);
        Tensor x = Rng.seeded(12).normal(0.0, 1.0, 100, 2);
        int[] y = Attacks.predictNoGrad(model, x);
        Pgd.Settings any = Pgd.Settings.DEFAULT;
        Pgd.Settings last = new Pgd.Settings(20, 2.5, true, 1, true, AttackLoss.CROSS_ENTROPY);
        double[] a = Pgd.accuracy(model, x, y, EPS, any, Rng.seeded(13), null);
        double[] f = Pgd.accuracy(model, x, y, EPS, last, Rng.seeded(13), null);
        for (int e = 0; e < EPS.length; e++) {
            assertTrue(a[e] <= f[e], "eps " + EPS[e]);
        }
        assertArrayEquals(a, Pgd.accuracy(model, x, y, EPS, any, Rng.seeded(13), null), 0.0);
    }
}
