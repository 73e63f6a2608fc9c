package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** FGSM on the linear binary classifier of evaluation.md §7 E-7, where every move is known in closed form. */
class FgsmTest {
    private static final double[] W = {2.0, -1.0};
    private static final double B = 0.5;

    @Test
    void numericCaseMovesAgainstSignOfWAndBreaksAboveLInfMargin() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Tensor u = Tensor.of(new double[][] {{0.3, 0.4}});
        int[] y = {1};
        // y = 1 so s = 1: u' = u − ε·sign(w) = (0.3 − ε, 0.4 + ε), g(u') = 0.7 − 3ε.
        Tensor adv = Fgsm.attack(model, u, y, 0.1, null);
        assertArrayEquals(new double[] {0.3 - 0.1, 0.4 + 0.1}, adv.toArray(), 0.0);
        assertArrayEquals(new double[] {1.0, 1.0, 0.0, 0.0},
                Fgsm.accuracy(model, u, y, new double[] {0.0, 0.23, 0.24, 0.3}, null), 0.0);
    }

    @Test
    void robustAccuracyEqualsCountOfPointsBeyondLInfMargin() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        Rng rng = Rng.seeded(11);
        int n = 200;
        Tensor x = rng.normal(0.0, 0.3, n, 2);
        int[] y = new int[n];
        for (int b = 0; b < n; b++) {
            y[b] = rng.nextDouble() < 0.8 ? (AttackModels.linearLogit(W, B, row(x, b)) > 0 ? 1 : 0) : rng.nextInt(2);
        }
        double[] epsList = {0.0, 0.05, 0.1, 0.2, 0.3};
        double[] got = Fgsm.accuracy(model, x, y, epsList, null);
        for (int e = 0; e < epsList.length; e++) {
            assertEquals(expectedRobust(x, y, epsList[e]), got[e], 0.0, "eps " + epsList[e]);
        }
        // Each point moves to the corner u − ε·s·sign(w).
        Tensor adv = Fgsm.attack(model, x, y, 0.1, null);
        for (int b = 0; b < n; b++) {
            double s = 2 * y[b] - 1;
            assertEquals(x.get(b, 0) - 0.1 * s, adv.get(b, 0), 1e-15);
            assertEquals(x.get(b, 1) + 0.1 * s, adv.get(b, 1), 1e-15);
        }
    }

    @Test
    void boxKeepsACoordinatePushedUpwardAtTheBound() {
        Function<Tensor, Tensor> model = AttackModels.linear(W, B);
        // y = 0: the attack raises g, so coordinate 0 (w > 0) goes up and is held at 1.
        Tensor adv = Fgsm.attack(model, Tensor.of(new double[][] {{1.0, 0.5}}), new int[] {0}, 0.2, new Attacks.Box(0, 1));
        assertArrayEquals(new double[] {1.0, 0.3}, adv.toArray(), 1e-15);
    }

    /** The E-7 rule: correct and s·g(u) > ε‖w‖₁. */
    static double expectedRobust(Tensor x, int[] y, double eps) {
        int ok = 0;
        for (int b = 0; b < y.length; b++) {
            double s = 2 * y[b] - 1;
            if (s * AttackModels.linearLogit(W, B, row(x, b)) > eps * AttackModels.norm1(W)) {
                ok++;
            }
        }
        return (double) ok / y.length;
    }

    static double[] row(Tensor x, int b) {
        return new double[] {x.get(b, 0), x.get(b, 1)};
    }
}
