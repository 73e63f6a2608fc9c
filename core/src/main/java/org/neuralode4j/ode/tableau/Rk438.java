package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * Kutta's 3/8 rule (W. Kutta, "Beitrag zur näherungsweisen Integration totaler Differentialgleichungen",
 * Z. Math. Phys. 46, 1901), order 4, fixed step only; solvers.md §1.2. This is what torchdiffeq's fixed-grid
 * {@code rk4} computes (§0). Dense output is cubic Hermite (§2.3).
 */
public final class Rk438 {
    /** c = [0, 1/3, 2/3, 1]; a_2 = [1/3]; a_3 = [−1/3, 1]; a_4 = [1, −1, 1]; b = [1/8, 3/8, 3/8, 1/8]. */
    public static final Tableau TABLEAU = new Tableau("RK4_38",
            new double[] {0.0, 1.0 / 3, 2.0 / 3, 1.0},
            new double[][] {
                {},
                {1.0 / 3},
                {-1.0 / 3, 1.0},
                {1.0, -1.0, 1.0}},
            new double[] {1.0 / 8, 3.0 / 8, 3.0 / 8, 1.0 / 8},
            null, null, 4, 0, 0, DenseKind.HERMITE);

    private Rk438() {}
}
