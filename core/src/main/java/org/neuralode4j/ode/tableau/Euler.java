package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The explicit Euler method (L. Euler, <i>Institutionum calculi integralis</i>, 1768), order 1, fixed step only;
 * solvers.md §1.2. Dense output is the cubic Hermite interpolant (§2.3).
 */
public final class Euler {
    /** c = [0]; b = [1]. */
    public static final Tableau TABLEAU = new Tableau("EULER",
            new double[] {0.0},
            new double[][] {{}},
            new double[] {1.0},
            null, null, 1, 0, 0, DenseKind.HERMITE);

    private Euler() {}
}
