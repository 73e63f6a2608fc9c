package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/**
 * solvers.md §7.8: per-sample step control on a batch mixing an easy (λ = 1) and a hard (λ = 50) decay. The easy
 * row takes the steps it would take alone, far fewer than under batch-wide control; both meet tolerance; a frozen
 * row keeps its value; permuting rows permutes results.
 */
class PerSampleControlTest {
    private static SolverConfig cfg(BatchMode mode) {
        return SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-6, 1e-6).withCounted(true, false))
                .withBatchMode(mode);
    }

    private static final double[] T01 = {0, 1};

    @Test
    void easySampleTakesFewerStepsAndBothMeetTolerance() {
        List<Tensor> y0 = Problems.decayState(new double[] {1, 1}, new double[] {1, 50});
        Dynamics f = Problems.decayInState();
        Solution batch = Ode.solve(f, y0, T01, cfg(BatchMode.BATCH_WIDE));
        Solution per = Ode.solve(f, y0, T01, cfg(BatchMode.PER_SAMPLE));
        Solution alone = Ode.solve(f, Problems.decayState(new double[] {1}, new double[] {1}), T01, cfg(BatchMode.BATCH_WIDE));
        assertEquals(212, batch.stats().nfe(), "batch-wide matches torchdiffeq's golden count");
        int[] attempts = per.stats().sampleAttempts();
        assertEquals(alone.stats().attempts(), attempts[0], "the easy row takes the steps it takes alone");
        assertEquals(alone.stats().nfe(), per.stats().sampleNfe()[0]);
        assertTrue(attempts[0] < batch.stats().attempts(), "per-sample " + attempts[0] + " vs batch-wide " + batch.stats().attempts());
        assertTrue(attempts[1] > attempts[0]);
        assertEquals(per.stats().nfe(), Math.max(per.stats().sampleNfe()[0], per.stats().sampleNfe()[1]), "fCalls = max_b nfe_b");
        assertTrue(per.stats().rowEvaluations() < 2L * per.stats().nfe(), "frozen rows are not passed to f");
        assertEquals(Math.exp(-1), per.last(0).getFlat(0), 1e-5);
        assertEquals(Math.exp(-50), per.last(0).getFlat(1), 1e-5);
    }

    @Test
    void clippedSolveEndsExactlyAndPermutesWithRows() {
        SolverConfig c = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-7, 1e-7).withCounted(true, false))
                .withBatchMode(BatchMode.PER_SAMPLE);
        double[] times = {0, 0.3, 1.0};
        Dynamics f = Problems.decayInState();
        Solution a = Ode.solve(f, Problems.decayState(new double[] {1, 2, 3}, new double[] {1, 50, 5}), times, c);
        Solution b = Ode.solve(f, Problems.decayState(new double[] {3, 1, 2}, new double[] {5, 1, 50}), times, c);
        for (int j = 0; j < times.length; j++) {
            double[] x = a.state(j).get(0).toArray();
            double[] y = b.state(j).get(0).toArray();
            assertEquals(x[0], y[1], 1e-15);
            assertEquals(x[1], y[2], 1e-15);
            assertEquals(x[2], y[0], 1e-15);
        }
        assertEquals(Math.exp(-0.3), a.state(1).get(0).getFlat(0), 1e-6);
        assertEquals(2 * Math.exp(-15), a.state(1).get(0).getFlat(1), 1e-6);
        assertEquals(3 * Math.exp(-5), a.last(0).getFlat(2), 1e-6);
    }

    @Test
    void perSampleSolveIsDifferentiable() {
        Tensor y0 = Tensor.of(new double[] {1, 2}, 2, 1).requiringGrad();
        SolverConfig c = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-9, 1e-9).withCounted(true, false))
                .withBatchMode(BatchMode.PER_SAMPLE);
        Solution s = Ode.solve(Problems.decayInState(), List.of(y0, Tensor.of(new double[] {1, 50}, 2, 1)), new double[] {0, 0.5, 1}, c);
        Tensor loss = Ops.add(Ops.sum(s.last(0)), Ops.sum(s.state(1).get(0)));
        Tensor g = Autograd.grad(loss, y0);
        assertEquals(Math.exp(-1) + Math.exp(-0.5), g.getFlat(0), 1e-7);
        assertEquals(Math.exp(-50) + Math.exp(-25), g.getFlat(1), 1e-7);
    }

    @Test
    void rejectsCoupledDynamics() {
        Dynamics coupled = Dynamics.of((t, y) -> Ops.neg(y), false);
        assertThrows(ConfigException.class, () -> Ode.solve(coupled, Tensor.ones(2, 1), 0, 1, cfg(BatchMode.PER_SAMPLE)));
    }
}
