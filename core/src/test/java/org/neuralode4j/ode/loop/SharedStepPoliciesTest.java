package org.neuralode4j.ode.loop;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.SampleStatus;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.Limits;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/**
 * solvers.md §5 limits and non-finite policies, held the same by the batch-wide and the per-sample loop
 * ({@link StepGuard} is their one implementation).
 */
class SharedStepPoliciesTest {
    /**
     * y' = −λ·y with λ in the state, but NaN wherever an explicit stage overshoots below −0.5: a first step far
     * too large for λ = 50 produces NaN stages, a small one never does.
     */
    private static final Dynamics NAN_ON_OVERSHOOT = new Dynamics() {
        @Override
        public List<Tensor> apply(double t, List<Tensor> y) {
            double[] v = y.get(0).toArray();
            double[] guard = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                guard[i] = v[i] < -0.5 ? Double.NaN : 1.0;
            }
            Tensor g = Tensor.of(guard, v.length, 1);
            return List.of(mul(neg(mul(y.get(0), y.get(1))), g), mul(y.get(1), 0.0));
        }

        @Override
        public boolean rowIndependent() {
            return true;
        }

        @Override
        public boolean autonomous() {
            return true;
        }
    };

    private static SolverConfig cfg(BatchMode mode, Limits.NonFinitePolicy p) {
        return SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-6, 1e-6).withCounted(true, false).withFirstStep(1.0))
                .withLimits(Limits.defaults().withNonFinite(p)).withBatchMode(mode);
    }

    @Test
    void rejectAndShrinkRecoversInBothLoopsAndFailFails() {
        for (BatchMode mode : BatchMode.values()) {
            List<Tensor> y0 = Problems.decayState(new double[] {1, 1}, new double[] {1, 50});
            SolveException e = assertThrows(SolveException.class,
                    () -> Ode.solve(NAN_ON_OVERSHOOT, y0, new double[] {0, 1}, cfg(mode, Limits.NonFinitePolicy.FAIL)));
            assertEquals(SolveException.Kind.NON_FINITE, e.kind(), mode + ": " + e.getMessage());
            assertEquals(1, e.sample(), mode + ": " + e.getMessage());

            Solution s = Ode.solve(NAN_ON_OVERSHOOT, y0, new double[] {0, 1}, cfg(mode, Limits.NonFinitePolicy.REJECT_AND_SHRINK));
            assertEquals(Math.exp(-1), s.last(0).getFlat(0), 1e-5, mode.toString());
            assertEquals(Math.exp(-50), s.last(0).getFlat(1), 1e-5, mode.toString());
            assertTrue(s.stats().rejected() > 0, mode + ": the NaN attempts count as rejections");
        }
    }

    @Test
    void perSampleShrinkTouchesOnlyTheSampleThatWentNonFinite() {
        SolverConfig per = cfg(BatchMode.PER_SAMPLE, Limits.NonFinitePolicy.REJECT_AND_SHRINK);
        Solution mixed = Ode.solve(NAN_ON_OVERSHOOT, Problems.decayState(new double[] {1, 1}, new double[] {1, 50}),
                new double[] {0, 1}, per);
        Solution alone = Ode.solve(NAN_ON_OVERSHOOT, Problems.decayState(new double[] {1}, new double[] {1}),
                new double[] {0, 1}, per);
        assertEquals(alone.stats().sampleAttempts()[0], mixed.stats().sampleAttempts()[0]);
        assertEquals(alone.stats().sampleRejected()[0], mixed.stats().sampleRejected()[0]);
        assertEquals(alone.last(0).getFlat(0), mixed.last(0).getFlat(0), 0.0);
        assertTrue(mixed.stats().sampleRejected()[1] > 0);
    }

    @Test
    void tenNonFiniteAttemptsInARowStillFail() {
        Dynamics alwaysNan = Dynamics.of((t, y) -> mul(y, Double.NaN), true);
        for (BatchMode mode : BatchMode.values()) {
            SolverConfig c = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-6, 1e-6).withFirstStep(0.1))
                    .withLimits(Limits.defaults().withNonFinite(Limits.NonFinitePolicy.REJECT_AND_SHRINK)).withBatchMode(mode);
            // k1 at the initial state is NaN: not a step that can shrink, so it fails at once.
            SolveException e = assertThrows(SolveException.class, () -> Ode.solve(alwaysNan, Tensor.ones(2, 1), 0, 1, c));
            assertEquals(SolveException.Kind.NON_FINITE, e.kind());
        }
    }

    @Test
    void perSampleReturnPartialStopsOnlyTheSampleAtItsLimit() {
        SolverConfig c = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-8, 1e-8).withCounted(true, false))
                .withBatchMode(BatchMode.PER_SAMPLE)
                .withLimits(Limits.defaults().withMaxSteps(40).withOnLimit(Limits.OnLimit.RETURN_PARTIAL));
        Solution s = Ode.solve(Problems.decayInState(), Problems.decayState(new double[] {1, 1}, new double[] {1, 2000}),
                new double[] {0, 0.5, 1}, c);
        assertEquals(SampleStatus.OK, s.status()[0]);
        assertEquals(SampleStatus.MAX_STEPS, s.status()[1]);
        assertEquals(Math.exp(-1), s.last(0).getFlat(0), 1e-7);
        assertTrue(Double.isNaN(s.last(0).getFlat(1)), "unreached output of the stopped sample is NaN");

        SolverConfig thrower = c.withLimits(Limits.defaults().withMaxSteps(40));
        SolveException e = assertThrows(SolveException.class, () -> Ode.solve(Problems.decayInState(),
                Problems.decayState(new double[] {1, 1}, new double[] {1, 2000}), new double[] {0, 1}, thrower));
        assertEquals(SolveException.Kind.MAX_STEPS, e.kind());
        assertEquals(1, e.sample());
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("maxSteps=40"), e.getMessage());
    }

    @Test
    void fixedStepsRefuseRejectAndShrink() {
        ConfigException e = assertThrows(ConfigException.class, () -> SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(4))
                .withLimits(Limits.defaults().withNonFinite(Limits.NonFinitePolicy.REJECT_AND_SHRINK)));
        assertTrue(e.getMessage().contains("nonFinite"), e.getMessage());
    }
}
