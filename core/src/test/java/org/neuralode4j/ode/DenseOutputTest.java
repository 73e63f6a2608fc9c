package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.ode.tableau.Tableaus;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/**
 * solvers.md §7.6: dense-output convergence with fixed steps — the interpolant's max error between grid points
 * falls as h⁵ for DOPRI5 and TSIT5 (4th-order extension on 5th-order values), h⁸ for DOP853 and h^min(p, 4)
 * for the Hermite methods — and the interpolant reproduces the step ends.
 */
class DenseOutputTest {
    private static double maxInteriorError(Tableau tab, double h) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution s = Ode.solve(Problems.linear(Problems.ROTATING), Tensor.of(new double[] {1, 0}, 1, 2), 0, 4,
                    SolverConfig.fixed(tab, FixedSteps.ofSize(h)).withDense(true));
            double max = 0;
            for (int i = 1; i < 400; i++) {
                double t = 4.0 * i / 400 + 1e-3;
                double[] e = Problems.rotatingExact(t);
                Tensor y = s.evaluate(t).get(0);
                max = Math.max(max, Math.max(Math.abs(y.getFlat(0) - e[0]), Math.abs(y.getFlat(1) - e[1])));
            }
            return max;
        }
    }

    @Test
    void interpolantErrorConvergesAtItsOrder() {
        Object[][] cases = {{"DOPRI5", 5}, {"TSIT5", 5}, {"DOP853", 8}, {"RK4", 4}, {"BOSH3", 3}, {"MIDPOINT", 2}};
        for (Object[] c : cases) {
            Tableau tab = Tableaus.byName((String) c[0]);
            int order = (Integer) c[1];
            double e1 = maxInteriorError(tab, 0.5);
            double e2 = maxInteriorError(tab, 0.25);
            double slope = Math.log(e1 / e2) / Math.log(2);
            assertEquals(order, slope, 0.5, c[0] + ": errors " + e1 + ", " + e2);
        }
    }

    @Test
    void interpolantHitsStepEndsAndRejectsOutsideTimes() {
        Solution s = Ode.solve(Problems.linear(Problems.ROTATING), List.of(Tensor.of(new double[] {1, 0}, 1, 2)), new double[] {0, 3},
                SolverConfig.adaptive(Tableaus.byName("TSIT5"), StepControl.of(1e-8, 1e-8)).withDense(true));
        assertArrayEquals(s.last(0).toArray(), s.evaluate(3).get(0).toArray(), 1e-14);
        for (double[] step : s.stepSequence()) {
            assertTrue(step[1] > 0);
        }
        assertThrows(ConfigException.class, () -> s.evaluate(-0.1));
        assertTrue(s.stats().denseBytes() > 0);
    }
}
