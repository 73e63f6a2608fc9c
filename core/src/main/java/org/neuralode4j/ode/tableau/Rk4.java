package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The classical fourth-order Runge–Kutta method (W. Kutta, "Beitrag zur näherungsweisen Integration totaler
 * Differentialgleichungen", Z. Math. Phys. 46, 1901), fixed step only; solvers.md §1.2. Note that torchdiffeq's
 * fixed-grid {@code rk4} is the 3/8 rule ({@link Rk438}), not this method (§0). Dense output is cubic Hermite.
 */
public final class Rk4 {
    /** c = [0, 1/2, 1/2, 1]; a_2 = [1/2]; a_3 = [0, 1/2]; a_4 = [0, 0, 1]; b = [1/6, 1/3, 1/3, 1/6]. */
    public static final Tableau TABLEAU = new Tableau("RK4",
            new double[] {0.0, 1.0 / 2, 1.0 / 2, 1.0},
            new double[][] {
                {},
                {1.0 / 2},
                {0.0, 1.0 / 2},
                {0.0, 0.0, 1.0}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6},
            null, null, 4, 0, 0, DenseKind.HERMITE);

    private Rk4() {}
}
