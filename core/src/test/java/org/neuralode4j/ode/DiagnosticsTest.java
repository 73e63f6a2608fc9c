package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.control.Limits;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Tensor;

/** solvers.md §7.9: non-finite values, blow-up and limits stop the solve with one line naming where. */
class DiagnosticsTest {
    private static SolverConfig dopri(double tol) {
        return SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(tol, tol));
    }

    /** f is NaN for sample 3 once t > 0.5. */
    private static final Dynamics NAN_LATE = new Dynamics() {
        @Override
        public List<Tensor> apply(double t, List<Tensor> y) {
            Tensor f = Ops.neg(y.get(0));
            if (t > 0.5) {
                double[] m = new double[y.get(0).size()];
                m[3] = Double.NaN;
                f = Ops.add(f, Tensor.of(m, y.get(0).shape().dims()));
            }
            return List.of(f);
        }
    };

    @Test
    void nonFiniteNamesTimeAttemptSampleAndComponent() {
        SolveException e = assertThrows(SolveException.class, () -> Ode.solve(NAN_LATE, Tensor.ones(5, 1), 0, 1, dopri(1e-6)));
        assertEquals(SolveException.Kind.NON_FINITE, e.kind());
        assertEquals(3, e.sample());
        assertTrue(e.t() > 0 && e.t() <= 0.5, "t at the start of the failing attempt: " + e.t());
        String m = e.getMessage();
        assertTrue(m.startsWith("NON_FINITE in f during FORWARD solve at t="), m);
        assertTrue(m.contains("sample 3") && m.contains("component y[0]") && m.contains("attempt") && m.contains("stage"), m);
        assertFalse(m.contains("\n"), "one line");
    }

    /** y' = y², y(0) = 1 blows up at t = 1. */
    private static final Dynamics BLOW_UP = Dynamics.of((t, y) -> Ops.square(y), true);

    @Test
    void blowUpStopsNearTheSingularity() {
        SolveException e = assertThrows(SolveException.class, () -> Ode.solve(BLOW_UP, Tensor.ones(1, 1), 0, 2, dopri(1e-6)));
        assertTrue(e.kind() == SolveException.Kind.STEP_UNDERFLOW || e.kind() == SolveException.Kind.MAX_STEPS
                || e.kind() == SolveException.Kind.NON_FINITE, e.getMessage());
        assertEquals(1.0, e.t(), 0.01, e.getMessage());
    }

    @Test
    void returnPartialFillsUnreachedOutputsWithNaN() {
        SolverConfig cfg = dopri(1e-6).withLimits(Limits.defaults().withMaxSteps(500).withOnLimit(Limits.OnLimit.RETURN_PARTIAL));
        double[] times = {0, 0.5, 0.9, 1.5, 2.0};
        Solution sol = Ode.solve(BLOW_UP, List.of(Tensor.ones(1, 1)), times, cfg);
        assertEquals(2.0, sol.state(1).get(0).item(), 1e-5);
        assertEquals(10.0, sol.state(2).get(0).item(), 1e-3);
        assertTrue(Double.isNaN(sol.state(3).get(0).item()));
        assertTrue(Double.isNaN(sol.last(0).item()));
        assertNotEquals(SampleStatus.OK, sol.status()[0]);
    }

    @Test
    void maxStepsIsReported() {
        SolverConfig cfg = dopri(1e-10).withLimits(Limits.defaults().withMaxSteps(3));
        SolveException e = assertThrows(SolveException.class,
                () -> Ode.solve(Dynamics.of((t, y) -> Ops.neg(y), true), Tensor.ones(1, 1), 0, 10, cfg));
        assertEquals(SolveException.Kind.MAX_STEPS, e.kind());
        assertTrue(e.getMessage().contains("maxSteps=3"), e.getMessage());
    }

    @Test
    void badConfigurationsAreRejectedWithTheField() {
        ConfigException e = assertThrows(ConfigException.class, () -> StepControl.of(-1e-3, 1e-6));
        assertTrue(e.getMessage().startsWith("rtol = -0.001"), e.getMessage());
        assertThrows(ConfigException.class, () -> Ode.solve(Dynamics.of((t, y) -> y, true), List.of(Tensor.ones(1, 1)),
                new double[] {0, 1, 0.5}, dopri(1e-3)));
        assertThrows(ConfigException.class, () -> SolverConfig.adaptive(org.neuralode4j.ode.tableau.Rk4.TABLEAU, StepControl.of(1e-3, 1e-3)));
        assertThrows(ConfigException.class, () -> StepControl.of(1e-3, 1e-3).withCounted(false));
    }
}
