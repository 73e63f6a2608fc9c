package org.neuralode4j.ode.tableau;

import java.util.Arrays;
import org.neuralode4j.ode.ConfigException;

/**
 * An explicit Runge–Kutta tableau (solvers.md §1): nodes c, strictly lower-triangular A, propagated weights b,
 * and for adaptive methods error weights e = b − b̂, with the orders and the dense-output family.
 *
 * <p>It checks itself when built (row sums equal c, weights sum to one, error weights to zero, A strictly lower
 * triangular) and derives FSAL from the coefficients instead of trusting a flag: FSAL holds when c_s = 1, the
 * last row of A equals b and b_s = 0.
 *
 * @param name          the method's name in the spec (DOPRI5, TSIT5, ...)
 * @param c             nodes, length s, c[0] = 0
 * @param a             rows a[i] of length i (a[0] is empty)
 * @param b             propagated weights, length s
 * @param e             error weights b − b̂ (length s), or null for fixed-step-only methods
 * @param e3            DOP853's second error estimator E3 (solvers.md §1.2), null otherwise
 * @param order         order p of b
 * @param embeddedOrder order p̂ of b̂ (0 when e is null)
 * @param errorOrder    exponent k of the step-size controller (§3.5; 0 when e is null)
 * @param dense         the continuous extension used for dense output
 */
public record Tableau(String name, double[] c, double[][] a, double[] b, double[] e, double[] e3,
                      int order, int embeddedOrder, int errorOrder, DenseKind dense) {

    /** Which continuous extension a method uses (solvers.md §2). */
    public enum DenseKind {
        /** Cubic Hermite from y0, y1, f0, f1 (every method without its own). */
        HERMITE,
        /** DOPRI5's 4th-order extension (§2.1). */
        DOPRI5,
        /** Tsitouras' free 4th-order interpolant (§2.2). */
        TSIT5,
        /** DOP853's 7th-order extension with three extra stages (§2.3). */
        DOP853
    }

    private static final double TOL = 1e-14;

    public Tableau {
        int s = c.length;
        if (s == 0 || a.length != s || b.length != s || (e != null && e.length != s) || (e3 != null && e3.length != s)) {
            throw new ConfigException("tableau " + name + ": c, A, b and e must all have s = " + s + " stages");
        }
        if (c[0] != 0.0) {
            throw new ConfigException("tableau " + name + ": c_1 must be 0, got " + c[0]);
        }
        for (int i = 0; i < s; i++) {
            if (a[i].length != i) {
                throw new ConfigException("tableau " + name + ": row " + (i + 1) + " of A must have " + i + " entries (explicit method)");
            }
            double sum = 0;
            for (double v : a[i]) {
                sum += v;
            }
            if (Math.abs(sum - c[i]) > TOL * Math.max(1, Math.abs(c[i])) * 10) {
                throw new ConfigException("tableau " + name + ": row " + (i + 1) + " of A sums to " + sum + ", not c = " + c[i]);
            }
        }
        if (Math.abs(sum(b) - 1.0) > TOL * 10) {
            throw new ConfigException("tableau " + name + ": weights b sum to " + sum(b) + ", not 1");
        }
        if (e != null && Math.abs(sum(e)) > TOL * 10) {
            throw new ConfigException("tableau " + name + ": error weights sum to " + sum(e) + ", not 0");
        }
        if (order < 1 || (e != null && (embeddedOrder < 1 || errorOrder < 1))) {
            throw new ConfigException("tableau " + name + ": orders must be positive");
        }
        c = c.clone();
        a = Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
        b = b.clone();
        e = e == null ? null : e.clone();
        e3 = e3 == null ? null : e3.clone();
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** Number of stages s. */
    public int stages() {
        return c.length;
    }

    /** True when the method has an embedded error estimate. */
    public boolean adaptive() {
        return e != null;
    }

    /** First same as last: the last stage is f at the step end, reusable as the next step's first stage. */
    public boolean fsal() {
        int s = c.length;
        if (s < 2 || c[s - 1] != 1.0 || b[s - 1] != 0.0) {
            return false;
        }
        for (int j = 0; j < s - 1; j++) {
            if (a[s - 1][j] != b[j]) {
                return false;
            }
        }
        return true;
    }

    // Records compare arrays by identity; tableaus are values, so compare contents.
    @Override
    public boolean equals(Object o) {
        return o instanceof Tableau && ((Tableau) o).name.equals(name) && Arrays.equals(((Tableau) o).c, c)
                && Arrays.deepEquals(((Tableau) o).a, a) && Arrays.equals(((Tableau) o).b, b) && Arrays.equals(((Tableau) o).e, e);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return name + " (" + c.length + " stages, order " + order + (e != null ? "(" + embeddedOrder + ")" : "") + ")";
    }
}
