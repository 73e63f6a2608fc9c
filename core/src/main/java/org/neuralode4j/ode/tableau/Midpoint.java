package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The explicit midpoint method (C. Runge, "Über die numerische Auflösung von Differentialgleichungen",
 * Math. Ann. 46, 1895), order 2, fixed step only; solvers.md §1.2. Dense output is cubic Hermite (§2.3).
 */
public final class Midpoint {
    /** c = [0, 1/2]; a_2 = [1/2]; b = [0, 1]. */
    public static final Tableau TABLEAU = new Tableau("MIDPOINT",
            new double[] {0.0, 1.0 / 2},
            new double[][] {{}, {1.0 / 2}},
            new double[] {0.0, 1.0},
            null, null, 2, 0, 0, DenseKind.HERMITE);

    private Midpoint() {}
}
