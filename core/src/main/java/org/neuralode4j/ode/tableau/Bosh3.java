package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The Bogacki–Shampine 3(2) pair (P. Bogacki and L. F. Shampine, "A 3(2) pair of Runge–Kutta formulas",
 * Appl. Math. Lett. 2(4), 1989, 321–325); solvers.md §1.1–§1.2.
 *
 * <p>FSAL: the fourth stage is f at the new solution, so each attempt costs three new evaluations. The order-3
 * solution is propagated; error order k = 3 (§3.5). Dense output is cubic Hermite, its natural 3rd-order
 * interpolant (§2.3).
 */
public final class Bosh3 {
    /**
     * c = [0, 1/2, 3/4, 1]; a_2 = [1/2]; a_3 = [0, 3/4]; a_4 = b; b = [2/9, 1/3, 4/9, 0];
     * b̂ = [7/24, 1/4, 1/3, 1/8]; e = b − b̂ = [−5/72, 1/12, 1/9, −1/8].
     */
    public static final Tableau TABLEAU = new Tableau("BOSH3",
            new double[] {0.0, 1.0 / 2, 3.0 / 4, 1.0},
            new double[][] {
                {},
                {1.0 / 2},
                {0.0, 3.0 / 4},
                {2.0 / 9, 1.0 / 3, 4.0 / 9}},
            new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0},
            new double[] {-5.0 / 72, 1.0 / 12, 1.0 / 9, -1.0 / 8},
            null, 3, 2, 3, DenseKind.HERMITE);

    private Bosh3() {}
}
