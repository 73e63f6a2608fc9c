package org.neuralode4j.regularize;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.MlpField;

/**
 * RNODE channels (kinetic energy, Hutchinson Jacobian) under per-sample step control (solvers.md §3.6): the
 * running samples are evaluated as subsets of the batch, each with its own row of the Hutchinson noise, so a
 * sample's channels do not depend on which other samples are still running, and they agree with batch-wide
 * control to the tolerance. (This used to fail with a shape mismatch once the first sample finished.)
 */
class PerSampleChannelsTest {
    private static final List<Regulariser> REGS = List.of(new KineticEnergy(0.1, Regulariser.Normalisation.SUM),
            JacobianFrobenius.hutchinson(0.1));

    private static Solution solve(Tensor z0, BatchMode mode, double tol, List<Tensor> params) {
        RegularisedDynamics rd = new RegularisedDynamics(new MlpField(params, 0.3), REGS, z0.dim(0), z0.dim(1),
                Rng.seeded(9), 1.0);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(tol, tol)).withBatchMode(mode);
        return Ode.solve(rd, rd.initialState(z0), new double[] {0, 1}, cfg);
    }

    @Test
    void channelsRunPerSampleAndMatchBatchWide() {
        List<Tensor> params = MlpField.randomParams(3, 16, 5, 0.9);
        // Rows of very different scale, so that samples finish at different iterations.
        double[] v = Rng.seeded(6).normal(0.0, 1.0, 8, 3).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 1 + 4 * (i / 3 % 4);
        }
        Tensor z0 = Tensor.of(v, 8, 3);
        Solution per = solve(z0, BatchMode.PER_SAMPLE, 1e-6, params);
        int[] att = per.stats().sampleAttempts();
        assertNotEquals(java.util.Arrays.stream(att).min().getAsInt(), java.util.Arrays.stream(att).max().getAsInt(),
                "samples finish at different iterations");
        Solution wide = solve(z0, BatchMode.BATCH_WIDE, 1e-10, params);
        for (int c = 0; c < 3; c++) {
            double[] a = per.last(c).toArray();
            double[] b = wide.last(c).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4 * (1 + Math.abs(b[i])), "component " + c + " entry " + i);
            }
        }

        // Row 2 with different companions (same noise rows): bit-identical channels and state.
        double[] w = v.clone();
        for (int i = 0; i < w.length; i++) {
            if (i / 3 != 2) {
                w[i] = -0.5 * w[i] + 1;
            }
        }
        Solution other = solve(Tensor.of(w, 8, 3), BatchMode.PER_SAMPLE, 1e-6, params);
        for (int c = 0; c < 3; c++) {
            int per0 = per.last(c).size() / 8;
            for (int e = 0; e < per0; e++) {
                assertEquals(per.last(c).getFlat(2 * per0 + e), other.last(c).getFlat(2 * per0 + e), 0.0, "component " + c);
            }
        }
    }

    @Test
    void channelPenaltyIsDifferentiableUnderPerSampleControl() {
        List<Tensor> params = MlpField.randomParams(3, 8, 7, 0.9);
        Tensor z0 = Rng.seeded(8).normal(0.0, 2.0, 5, 3);
        RegularisedDynamics rd = new RegularisedDynamics(new MlpField(params, 0.3), REGS, 5, 3, Rng.seeded(9), 1.0);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-6, 1e-6)).withBatchMode(BatchMode.PER_SAMPLE);
        Solution s = Ode.solve(rd, rd.initialState(z0), new double[] {0, 1}, cfg);
        Tensor g = Autograd.grad(rd.penalty(s.last()), params.get(0));
        for (double x : g.toArray()) {
            assertTrue(Double.isFinite(x));
        }
        assertTrue(Ops.sumSquares(g).item() > 0);
    }
}
