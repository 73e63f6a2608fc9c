package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neuralode4j.cnf.CnfFixtures.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * cnf.md §6.2: the 1-D flow f(z) = a·z + c maps N(μ_m, s_m²) onto N(0, 1) with s_m = e^{−aT} and
 * μ_m = −(c/a)(1 − e^{−aT}): closed form, maximum-likelihood fit (which needs the trace term's gradient), and
 * Hutchinson exactness in one dimension.
 */
class GaussianFlow1dTest {
    private final Parameter a = new Parameter("a", Tensor.vector(0.0));
    private final Parameter c = new Parameter("c", Tensor.vector(0.0));

    private ContinuousFlow flow(double t) {
        FlowField f = FlowField.autonomous(List.of(a, c), z -> Ops.add(Ops.mul(z, a.value()), c.value()));
        return new ContinuousFlow(1, List.of(new CnfBlock(f, EndTime.fixed(t))), BaseDistribution.standardNormal());
    }

    private static double logNormal(double x, double mu, double s) {
        return -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * (x - mu) * (x - mu) / (s * s);
    }

    @Test
    void closedForm() {
        a.set(Tensor.vector(-0.4));
        c.set(Tensor.vector(0.3));
        double lp = flow(1.0).logLikelihood(Tensor.of(new double[] {0.9}, 1, 1), dopri5(1e-11), Rng.seeded(0)).logp().item();
        double sm = Math.exp(0.4);
        double mu = -(0.3 / -0.4) * (1 - Math.exp(0.4));
        assertEquals(logNormal(0.9, mu, sm), lp, 1e-8);
        assertEquals(-1.6806544892, lp, 1e-8);
    }

    @Test
    void maximumLikelihoodRecoversTheSampleMoments() {
        Tensor data = Rng.seeded(31).normal(2.0, 0.5, 1000, 1);
        double[] v = data.toArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(var / v.length);
        ContinuousFlow flow = flow(1.0);
        CnfSolve solve = CnfSolve.of(rk4(4), new Direct()).withDivergence(Divergence.exact());
        Adam adam = new Adam(0.05);
        for (int it = 0; it < 3000; it++) {
            Tensor loss = flow.forward(data, solve, Rng.seeded(0)).nll();
            adam.step(flow.parameters(), Autograd.grad(loss, flow.parameterTensors()));
        }
        double av = a.value().item();
        double cv = c.value().item();
        double sm = Math.exp(-av);
        double mu = av == 0 ? -cv : -(cv / av) * (1 - Math.exp(-av));
        System.out.printf("cnf 1-D ML fit: |s_m - sd| %.2e, |mu_m - mean| %.2e%n", Math.abs(sm - sd), Math.abs(mu - mean));
        assertEquals(sd, sm, 1e-3, "model sd");
        assertEquals(mean, mu, 1e-3, "model mean");
    }

    @Test
    void rademacherHutchinsonIsExactInOneDimension() {
        a.set(Tensor.vector(-0.7));
        c.set(Tensor.vector(0.2));
        Tensor x = Rng.seeded(4).normal(50, 1);
        ContinuousFlow flow = flow(1.0);
        CnfSolve exact = CnfSolve.of(rk4(16), new Direct()).withDivergence(Divergence.exact());
        double[] ref = flow.forward(x, exact, Rng.seeded(0)).logDensities();
        double[] rad = flow.forward(x, exact.withDivergence(Divergence.hutchinson(ProbeNoise.RADEMACHER)), Rng.seeded(9))
                .logDensities();
        double[] gau = flow.forward(x, exact.withDivergence(Divergence.hutchinson(ProbeNoise.GAUSSIAN)), Rng.seeded(9))
                .logDensities();
        double worstGaussian = 0;
        for (int b = 0; b < ref.length; b++) {
            assertEquals(ref[b], rad[b], 1e-12, "Rademacher, row " + b);
            worstGaussian = Math.max(worstGaussian, Math.abs(ref[b] - gau[b]));
        }
        // A Gaussian probe is not exact per draw (ε² ≠ 1): the test would not notice a probe that is always ±1.
        org.junit.jupiter.api.Assertions.assertTrue(worstGaussian > 1e-3, "Gaussian probe differs per draw: " + worstGaussian);
    }
}
