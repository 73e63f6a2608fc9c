package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralode4j.cnf.CnfFixtures.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * cnf.md §6.3: the Hutchinson log-likelihood and its gradient are unbiased. On a fixed RK4 grid the quadrature
 * does not depend on ε, so the mean over many probes must equal the exact-trace value within 3 standard errors.
 * Each row of a batch carries its own probe, so M copies of one point in one batch are M independent draws.
 * Both noise types, D ∈ {2, 5}.
 */
class HutchinsonTest {
    private static final int M = 4000;
    /**
     * RK4 steps. Unbiasedness holds on any fixed grid (the nodes never depend on ε); the spec's N = 32 costs 4×
     * the time for the same statement.
     */
    private static final int GRID = 8;

    /** M copies of row b of x. */
    private static Tensor replicate(Tensor x, int b, int m) {
        int d = x.dim(1);
        double[] v = new double[m * d];
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < d; i++) {
                v[r * d + i] = x.getFlat(b * d + i);
            }
        }
        return Tensor.of(v, m, d);
    }

    @Test
    void logLikelihoodIsUnbiased() {
        for (int d : new int[] {2, 5}) {
            ContinuousFlow flow = concatSquash(d, List.of(16, 16), EndTime.fixed(1.0), 40 + d);
            Tensor x = Rng.seeded(50 + d).normal(2, d);
            CnfSolve exact = CnfSolve.of(rk4(GRID), new Direct()).withDivergence(Divergence.exact());
            double[] ref = flow.logLikelihood(x, rk4(GRID), Rng.seeded(0)).logDensities();
            assertEquals(ref[0], flow.forward(x, exact, Rng.seeded(0)).logDensities()[0], 1e-12);
            for (ProbeNoise noise : ProbeNoise.values()) {
                for (int b = 0; b < 1; b++) {
                    double[] est;
                    try (var ignored = org.neuralode4j.autodiff.GradMode.noGrad()) {
                        est = flow.forward(replicate(x, b, M), exact.withDivergence(Divergence.hutchinson(noise)),
                                Rng.seeded(100 + b)).logDensities();
                    }
                    double mean = 0;
                    for (double v : est) {
                        mean += v;
                    }
                    mean /= M;
                    double ss = 0;
                    for (double v : est) {
                        ss += (v - mean) * (v - mean);
                    }
                    double se = Math.sqrt(ss / (M - 1) / M);
                    assertTrue(se > 0, "the estimate must vary between probes");
                    assertEquals(ref[b], mean, 3 * se, "D = " + d + ", " + noise + ", point " + b + ": mean " + mean
                            + " ± " + se + " vs exact " + ref[b]);
                }
            }
        }
    }

    @Test
    void gradientIsUnbiased() {
        // 40 groups of 100 probes: the group means of the Hutchinson gradient are i.i.d. with the exact gradient as
        // mean; 3 parameter coordinates are compared within 3 standard errors of their mean.
        ContinuousFlow flow = concatSquash(2, List.of(16, 16), EndTime.fixed(1.0), 61);
        Tensor x = replicate(Rng.seeded(62).normal(1, 2), 0, 100);
        CnfSolve exact = CnfSolve.of(rk4(GRID), new Direct()).withDivergence(Divergence.exact());
        int[] coords = {3, 70, 200};
        double[] ref = pick(Autograd.grad(flow.forward(x, exact, Rng.seeded(0)).nll(), flow.parameterTensors()), coords);
        for (ProbeNoise noise : ProbeNoise.values()) {
            CnfSolve hutch = exact.withDivergence(Divergence.hutchinson(noise));
            Rng probes = Rng.seeded(63);
            int groups = 40;
            double[] sum = new double[coords.length];
            double[] sumSq = new double[coords.length];
            for (int gIdx = 0; gIdx < groups; gIdx++) {
                double[] g = pick(Autograd.grad(flow.forward(x, hutch, probes).nll(), flow.parameterTensors()), coords);
                for (int k = 0; k < coords.length; k++) {
                    sum[k] += g[k];
                    sumSq[k] += g[k] * g[k];
                }
            }
            for (int k = 0; k < coords.length; k++) {
                double mean = sum[k] / groups;
                double se = Math.sqrt((sumSq[k] / groups - mean * mean) / (groups - 1));
                assertTrue(se > 0, "the gradient estimate must vary between probes");
                assertEquals(ref[k], mean, 3 * se, noise + ", coordinate " + coords[k] + ": " + mean + " ± " + se);
            }
        }
    }

    private static double[] pick(List<Tensor> grads, int[] coords) {
        double[] flat = org.neuralode4j.autodiff.GradCheck.flatten(grads);
        double[] out = new double[coords.length];
        for (int k = 0; k < coords.length; k++) {
            out[k] = flat[coords[k]];
        }
        return out;
    }

    @Test
    void traceAndJacobianChannelShareOneProbe() {
        // f = zAᵀ: per row, ℓ(T) = −T·εᵀAε and N(T) = T·‖εᵀA‖² with the SAME ε — the first draw of the solve's
        // generator. With the exact trace and OWN_PROBE, N uses the first draw instead and ℓ is exact; with
        // EXACT_ROWS, N = T·‖A‖²_F.
        double[][] a = {{-0.5, 1.0}, {-0.3, 0.2}};
        double t = 0.8;
        ContinuousFlow flow = linearFlow(a, EndTime.fixed(t));
        Tensor x = Rng.seeded(70).normal(6, 2);
        RnodeChannels jac = new RnodeChannels(0, 1, RnodeChannels.Normalisation.SUM, false,
                RnodeChannels.ExactTraceJacobian.OWN_PROBE);
        CnfSolve base = CnfSolve.of(dopri5(1e-10), new Direct()).withChannels(jac);
        Tensor eps = ProbeNoise.GAUSSIAN.draw(Rng.seeded(71), 6, 2);
        Tensor epsA = Ops.matmul(eps, Tensor.of(a));
        double[] quad = Ops.sum(Ops.mul(epsA, eps), true, 1).toArray();
        double[] norm = Ops.sum(Ops.square(epsA), true, 1).toArray();

        FlowResult h = flow.forward(x, base.withDivergence(Divergence.hutchinson()), Rng.seeded(71));
        FlowResult own = flow.forward(x, base.withDivergence(Divergence.exact()), Rng.seeded(71));
        FlowResult rows = flow.forward(x, base.withDivergence(Divergence.exact())
                .withChannels(jac.withExactTraceJacobian(RnodeChannels.ExactTraceJacobian.EXACT_ROWS)), Rng.seeded(71));
        double frob = 0.25 + 1.0 + 0.09 + 0.04; // ‖A‖²_F
        for (int b = 0; b < 6; b++) {
            assertEquals(-t * quad[b], h.deltaLogp().getFlat(b), 1e-9);
            assertEquals(t * norm[b], h.jacobian().getFlat(b), 1e-9);
            assertEquals(-t * trace(a), own.deltaLogp().getFlat(b), 1e-9);
            assertEquals(t * norm[b], own.jacobian().getFlat(b), 1e-9);
            assertEquals(t * frob, rows.jacobian().getFlat(b), 1e-9);
        }
    }
}
