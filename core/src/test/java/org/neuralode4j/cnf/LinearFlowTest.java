package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralode4j.cnf.CnfFixtures.*;

import org.junit.jupiter.api.Test;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * cnf.md §6.1: for f(z) = A z the flow map is e^{AT} and ℓ(T) = −T·tr A, so
 * log p_x(x) = log N(e^{AT}x; 0, I) + T·tr A. Checked against an independent matrix exponential, in both
 * directions, and with a learned T.
 */
class LinearFlowTest {
    private static final double[][] A = {{-0.5, 1.0}, {-0.3, 0.2}};
    private static final SolverConfig TIGHT = dopri5(1e-10);

    /** log p of every row of x under the closed form; the worst absolute error against the flow's. */
    private static double worstError(double[][] a, double t, Tensor x, double[] flowLogp) {
        double[][] e = expm(scaled(a, t));
        double worst = 0;
        for (int b = 0; b < x.dim(0); b++) {
            double expected = logStdNormal(CnfFixtures.apply(e, row(x, b))) + t * trace(a);
            worst = Math.max(worst, Math.abs(expected - flowLogp[b]));
        }
        return worst;
    }

    @Test
    void logDensityMatchesTheClosedForm() {
        Tensor x = Rng.seeded(11).normal(10, 2);
        for (double t : new double[] {0.5, 1.0}) {
            ContinuousFlow flow = linearFlow(A, EndTime.fixed(t));
            FlowResult r = flow.logLikelihood(x, TIGHT, Rng.seeded(0));
            double err = worstError(A, t, x, r.logDensities());
            assertTrue(err <= 1e-6, "T = " + t + ": max |error| " + err);
            // ℓ(T) = −T·tr A for every sample (the trace is constant): the sign convention of §1.2.
            for (double l : r.deltaLogp().toArray()) {
                assertEquals(-t * trace(A), l, 1e-9);
            }
        }
    }

    @Test
    void regressionValue() {
        ContinuousFlow flow = linearFlow(A, EndTime.fixed(1.0));
        double lp = flow.logLikelihood(Tensor.of(new double[] {0.7, -1.2}, 1, 2), TIGHT, Rng.seeded(0)).logp().item();
        assertEquals(-3.4327954910, lp, 1e-8);
    }

    @Test
    void randomThreeByThreeMatrix() {
        Rng rng = Rng.seeded(21);
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = 0.6 * rng.nextGaussian();
            }
        }
        Tensor x = rng.normal(10, 3);
        ContinuousFlow flow = linearFlow(a, EndTime.fixed(1.0));
        double err = worstError(a, 1.0, x, flow.logLikelihood(x, TIGHT, Rng.seeded(0)).logDensities());
        assertTrue(err <= 1e-6, "3x3: max |error| " + err);
    }

    @Test
    void reverseSolveInvertsTheMapAndCarriesTheDensity() {
        // x = e^{−AT}u and ℓ(0) = log N(u) + T·tr A when started from ℓ(T) = log N(u).
        double t = 1.0;
        Tensor u = Rng.seeded(12).normal(10, 2);
        FlowSample s = linearFlow(A, EndTime.fixed(t)).inverse(u, TIGHT, true);
        double[][] back = expm(scaled(A, -t));
        for (int b = 0; b < 10; b++) {
            double[] expected = CnfFixtures.apply(back, row(u, b));
            double[] got = row(s.x(), b);
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[i], got[i], 1e-8);
            }
            assertEquals(logStdNormal(row(u, b)) + t * trace(A), s.logp().getFlat(b), 1e-8);
        }
    }

    @Test
    void learnedEndTimeGivesTheSameDensityAsAFixedOne() {
        // The rescaled solve in s ∈ [0, 1] (EndTime) must represent the same map as the solve in t ∈ [0, T].
        Tensor x = Rng.seeded(13).normal(10, 2);
        for (EndTime.Parametrisation p : EndTime.Parametrisation.values()) {
            ContinuousFlow flow = linearFlow(A, EndTime.learned(0.7, p));
            assertEquals(0.7, flow.blocks().get(0).endTime(), 1e-14);
            double err = worstError(A, 0.7, x, flow.logLikelihood(x, TIGHT, Rng.seeded(0)).logDensities());
            assertTrue(err <= 1e-6, p + ": max |error| " + err);
        }
    }
}
