package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * Heun's method (K. Heun, "Neue Methoden zur approximativen Integration der Differentialgleichungen einer
 * unabhängigen Veränderlichen", Z. Math. Phys. 45, 1900), the explicit trapezoidal rule of order 2, with the
 * Euler step as embedded order-1 formula (the Heun–Euler 2(1) pair); solvers.md §1.1–§1.2.
 *
 * <p>Not FSAL: the second stage is evaluated at the predicted Euler point, not at the new solution, so the next
 * step's k_1 is a fresh evaluation. Error order k = 2 (§3.5); dense output is cubic Hermite (§2.3).
 */
public final class Heun {
    /** c = [0, 1]; a_2 = [1]; b = [1/2, 1/2]; b̂ = [1, 0]; e = b − b̂ = [−1/2, 1/2]. */
    public static final Tableau TABLEAU = new Tableau("HEUN",
            new double[] {0.0, 1.0},
            new double[][] {{}, {1.0}},
            new double[] {1.0 / 2, 1.0 / 2},
            new double[] {-1.0 / 2, 1.0 / 2},
            null, 2, 1, 2, DenseKind.HERMITE);

    private Heun() {}
}
