package org.neuralode4j.ode.control;

import java.util.Arrays;
import org.neuralode4j.ode.ConfigException;

/**
 * Fixed-step mode (solvers.md §4): a step size, a number of steps, or a user grid.
 *
 * @param step          step size, or NaN when {@code count} or {@code grid} is given
 * @param count         number of steps over [t0, t1], or 0
 * @param userGrid      an increasing grid containing t0 and t1 (in solve direction), or null
 * @param layout        ALIGNED (every output a grid point) or TORCHDIFFEQ_GRID (uniform, outputs interpolated)
 * @param interpolation how TORCHDIFFEQ_GRID outputs inside a step are computed
 */
public record FixedSteps(double step, int count, double[] userGrid, Layout layout, Interpolation interpolation) {

    public enum Layout { ALIGNED, TORCHDIFFEQ_GRID }

    public enum Interpolation { LINEAR, HERMITE }

    public FixedSteps {
        int given = (Double.isNaN(step) ? 0 : 1) + (count > 0 ? 1 : 0) + (userGrid != null ? 1 : 0);
        if (given != 1) {
            throw new ConfigException("fixed steps: give exactly one of step, count or grid");
        }
        if (!Double.isNaN(step) && !(step > 0 && Double.isFinite(step))) {
            throw ConfigException.of("step", step, "must be positive and finite");
        }
        if (count < 0) {
            throw ConfigException.of("count", count, "must be positive");
        }
        if (userGrid != null) {
            if (userGrid.length < 2) {
                throw ConfigException.of("grid", Arrays.toString(userGrid), "needs at least t0 and t1");
            }
            userGrid = userGrid.clone();
        }
        if (layout == null || interpolation == null) {
            throw new ConfigException("fixed steps: layout and interpolation are required");
        }
    }

    /** Steps of size h, outputs aligned to the grid. */
    public static FixedSteps ofSize(double h) {
        return new FixedSteps(h, 0, null, Layout.ALIGNED, Interpolation.LINEAR);
    }

    /** n equal steps over [t0, t1]. */
    public static FixedSteps ofCount(int n) {
        if (n < 1) {
            throw ConfigException.of("count", n, "must be >= 1");
        }
        return new FixedSteps(Double.NaN, n, null, Layout.ALIGNED, Interpolation.LINEAR);
    }

    /** A user grid: any monotone sequence from t0 to t1. */
    public static FixedSteps ofGrid(double... grid) {
        return new FixedSteps(Double.NaN, 0, grid, Layout.ALIGNED, Interpolation.LINEAR);
    }

    public FixedSteps withLayout(Layout l, Interpolation i) {
        return new FixedSteps(step, count, userGrid, l, i);
    }
}
