package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.cnf.CnfFixtures.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** cnf.md §6.5 plumbing: stacking, round trip, zeroLast, grid mass, configuration checks. */
class FlowPlumbingTest {
    private static final double TOL = 1e-8;
    private static final SolverConfig SOLVER = dopri5(TOL);

    @Test
    void twoHalfBlocksOfOneAutonomousFieldEqualOneFullBlock() {
        // Same field (t ignored) in both blocks: [0, ½] twice is [0, 1] once, in z, ℓ, E and N (sums over blocks).
        FlowField field = FlowField.mlp(new Mlp.FieldConfig(List.of(2, 12, 12, 2), TimeInput.IGNORE, Activation.TANH, false),
                Rng.seeded(81));
        ContinuousFlow two = new ContinuousFlow(2, List.of(new CnfBlock(field, EndTime.fixed(0.5)),
                new CnfBlock(field, EndTime.fixed(0.5))), BaseDistribution.standardNormal());
        ContinuousFlow one = new ContinuousFlow(2, List.of(new CnfBlock(field, EndTime.fixed(1.0))),
                BaseDistribution.standardNormal());
        assertEquals(one.parameters().size(), two.parameters().size(), "a shared field is listed once");
        CnfSolve solve = CnfSolve.of(SOLVER, new Direct()).withDivergence(Divergence.exact())
                .withChannels(RnodeChannels.rnode());
        Tensor x = Rng.seeded(82).normal(0, 1.5, 8, 2);
        FlowResult a = two.forward(x, solve, Rng.seeded(1));
        FlowResult b = one.forward(x, solve, Rng.seeded(1));
        assertEquals(2, a.stats().size(), "one statistics record per block");
        assertClose(b.z(), a.z(), 10 * TOL);
        assertClose(b.deltaLogp(), a.deltaLogp(), 10 * TOL);
        assertClose(b.kinetic(), a.kinetic(), 10 * TOL);
        assertClose(b.jacobian(), a.jacobian(), 10 * TOL);
        // Each block draws its own probe: with Hutchinson the two blocks see different ε.
        FlowResult h = two.forward(x, solve.withDivergence(Divergence.hutchinson()), Rng.seeded(1));
        FlowResult h1 = one.forward(x, solve.withDivergence(Divergence.hutchinson()), Rng.seeded(1));
        assertTrue(Math.abs(h.deltaLogp().getFlat(0) - h1.deltaLogp().getFlat(0)) > 1e-6);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.getFlat(i), actual.getFlat(i), tol, "entry " + i);
        }
    }

    @Test
    void samplingInvertsTheLikelihoodPass() {
        ContinuousFlow flow = concatSquash(2, List.of(16, 16), EndTime.learned(0.6), 83);
        FlowSample s = flow.sample(20, Rng.seeded(84), SOLVER, true);
        FlowResult back = flow.logLikelihood(s.x(), SOLVER, Rng.seeded(0));
        // ℓ carried along the sampling path gives the same log p_x as the likelihood pass.
        assertClose(s.logp(), back.logp(), 10 * TOL);
        // x → z → x.
        Tensor x = Rng.seeded(85).normal(20, 2);
        FlowResult fwd = flow.logLikelihood(x, SOLVER, Rng.seeded(0));
        assertClose(x, flow.inverse(fwd.z(), SOLVER, false).x(), 10 * TOL);
        assertTrue(Ops.sumSquares(Ops.sub(fwd.z(), x)).item() > 1e-2, "the flow is not the identity");
    }

    @Test
    void zeroLastGivesAConstantField() {
        // W, w_g and w_b of the last layer are zero: f ≡ b ⊙ sig(b_g) = c, J ≡ 0, so ℓ(T) = 0 and
        // log p(x) = log N(x + T·c).
        CnfSpec spec = new CnfSpec(2, List.of(8, 8), Activation.TANH, TimeInput.CONCAT_SQUASH, 1, EndTime.fixed(0.7), true);
        ContinuousFlow flow = ContinuousFlow.build(spec, Rng.seeded(86));
        Tensor x = Rng.seeded(87).normal(5, 2);
        FlowResult r = flow.logLikelihood(x, SOLVER, Rng.seeded(0));
        Tensor c = flow.blocks().get(0).field().apply(Tensor.scalar(0.3), x);
        for (int b = 0; b < 5; b++) {
            assertEquals(0.0, r.deltaLogp().getFlat(b), 0.0);
            double[] shifted = {x.getFlat(2 * b) + 0.7 * c.getFlat(0), x.getFlat(2 * b + 1) + 0.7 * c.getFlat(1)};
            assertEquals(logStdNormal(shifted), r.logp().getFlat(b), 1e-12);
        }
        assertNotEquals(0.0, c.getFlat(0), "the constant is the (non-zero) bias path");
    }

    @Test
    void identityFlowHasTheGaussianMassOnTheGrid() {
        ContinuousFlow flow = linearFlow(new double[][] {{0, 0}, {0, 0}}, EndTime.fixed(1.0));
        DensityGrid g = DensityGrid.evaluate(flow, 401, SOLVER);
        double erf = 0.9999366575163338; // erf(4/√2)
        assertEquals(erf * erf, g.mass(), 1e-4);
        assertNull(g.warning());
        assertEquals(-4.0, g.coords()[0], 0);
        assertEquals(4.0, g.coords()[400], 0);
        assertEquals(logStdNormal(new double[] {-4.0, 4.0}), g.logDensityAt(0, 400), 1e-12);
        // An improper density (here a base off by one nat, as a sign error in ℓ would be) is flagged.
        BaseDistribution normal = BaseDistribution.standardNormal();
        BaseDistribution improper = new BaseDistribution() {
            @Override
            public Tensor logDensity(Tensor z) {
                return Ops.add(normal.logDensity(z), 1.0);
            }

            @Override
            public Tensor sample(Rng rng, int n, int dim) {
                return normal.sample(rng, n, dim);
            }
        };
        ContinuousFlow bad = new ContinuousFlow(2, flow.blocks(), improper);
        DensityGrid wrong = DensityGrid.evaluate(bad, 101, SOLVER);
        assertEquals(Math.E * erf * erf, wrong.mass(), 1e-2);
        assertNotNull(wrong.warning());
    }

    @Test
    void configurationIsChecked() {
        ContinuousFlow learned = concatSquash(2, List.of(4), EndTime.learned(0.5), 1);
        Tensor x = Tensor.zeros(3, 2);
        CnfSolve rnode = CnfSolve.of(rk4(2), new Direct()).withChannels(RnodeChannels.rnode());
        ConfigException e = assertThrows(ConfigException.class, () -> learned.forward(x, rnode, Rng.seeded(0)));
        assertTrue(e.getMessage().contains("allowLearnedTWithKinetic"), e.getMessage());
        assertNotNull(learned.forward(x, rnode.withAllowLearnedTWithKinetic(true), Rng.seeded(0)).loss());
        assertNotNull(learned.forward(x, rnode.withChannels(RnodeChannels.rnode().withWeights(0, 0.01)), Rng.seeded(0)).loss());
        assertThrows(ConfigException.class, () -> EndTime.fixed(0));
        assertThrows(ConfigException.class, () -> EndTime.learned(-1));
        assertThrows(ConfigException.class, () -> new RnodeChannels(-0.1, 0, RnodeChannels.Normalisation.SUM, false,
                RnodeChannels.ExactTraceJacobian.OWN_PROBE));
        assertThrows(ShapeException.class, () -> learned.forward(Tensor.zeros(3, 3), rnode, Rng.seeded(0)));
        assertEquals(Divergence.Kind.EXACT, Divergence.auto().resolve(8).kind());
        assertEquals(Divergence.Kind.HUTCHINSON, Divergence.auto().resolve(9).kind());
        assertEquals(9224, ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(0)).parameterCount());
        assertEquals(List.of("blocks.0.field.layers.0.weight", "blocks.0.sqrt_end_time"), List.of(
                learned.parameters().get(0).name(), learned.parameters().get(learned.parameters().size() - 1).name()));
    }

    @Test
    void perSampleStepControlWorksWithAndWithoutProbes() {
        ContinuousFlow flow = concatSquash(2, List.of(8, 8), EndTime.fixed(1.0), 90);
        Tensor x = Rng.seeded(91).normal(0.0, 2.0, 6, 2);
        SolverConfig perSample = dopri5(1e-9).withBatchMode(org.neuralode4j.ode.BatchMode.PER_SAMPLE);
        double[] batchWide = flow.logLikelihood(x, dopri5(1e-9), Rng.seeded(0)).logDensities();
        double[] each = flow.logLikelihood(x, perSample, Rng.seeded(0)).logDensities();
        for (int b = 0; b < 6; b++) {
            assertEquals(batchWide[b], each[b], 1e-6);
        }
        // Hutchinson probes are drawn for the whole batch; each running sample keeps its own rows of them.
        CnfSolve hutch = CnfSolve.of(perSample, new Direct()).withDivergence(Divergence.hutchinson());
        CnfSolve hutchWide = CnfSolve.of(dopri5(1e-9), new Direct()).withDivergence(Divergence.hutchinson());
        double[] perRows = flow.forward(x, hutch, Rng.seeded(0)).logDensities();
        double[] wideRows = flow.forward(x, hutchWide, Rng.seeded(0)).logDensities();
        for (int b = 0; b < 6; b++) {
            assertEquals(wideRows[b], perRows[b], 1e-6);
        }
    }

    @Test
    void channelsOutOfStepControlDoNotChangeTheSteps() {
        // regularisers.md §2.3: excluded channels leave the forward steps, NFE, z and ℓ bit-identical; included
        // (W2) they join the error norm and change the steps.
        ContinuousFlow flow = concatSquash(2, List.of(16, 16), EndTime.fixed(1.0), 88);
        Tensor x = Rng.seeded(89).normal(0.0, 2.0, 64, 2);
        SolverConfig solver = CnfSolve.w2Solver();
        CnfSolve plain = CnfSolve.of(solver, new Direct()).withDivergence(Divergence.hutchinson());
        FlowResult p = flow.forward(x, plain, Rng.seeded(3));
        FlowResult out = flow.forward(x, plain.withChannels(RnodeChannels.w2().withStepControl(false)), Rng.seeded(3));
        FlowResult in = flow.forward(x, plain.withChannels(RnodeChannels.w2()), Rng.seeded(3));
        assertEquals(p.nfeForward(), out.nfeForward());
        assertArrayEquals(p.z().toArray(), out.z().toArray());
        assertArrayEquals(p.deltaLogp().toArray(), out.deltaLogp().toArray());
        assertFalse(java.util.Arrays.equals(p.z().toArray(), in.z().toArray()), "channels in step control change the steps");
        assertTrue(in.nfeForward() >= p.nfeForward(), p.nfeForward() + " vs " + in.nfeForward());
    }

    @Test
    void kineticChannelClosedForm() {
        // f = −k z: E(T) = k‖z0‖²(1 − e^{−2kT})/2 (SUM); RNODE_MEAN divides by 2D (regularisers.md §9.3).
        ContinuousFlow flow = linearFlow(new double[][] {{-1.3, 0}, {0, -1.3}}, EndTime.fixed(0.7));
        Tensor z0 = Tensor.of(new double[] {0.5, -2}, 1, 2);
        RnodeChannels ke = new RnodeChannels(1, 0, RnodeChannels.Normalisation.SUM, false,
                RnodeChannels.ExactTraceJacobian.OWN_PROBE);
        CnfSolve solve = CnfSolve.of(dopri5(1e-11), new Direct()).withDivergence(Divergence.exact()).withChannels(ke);
        assertEquals(2.3149038630, flow.forward(z0, solve, Rng.seeded(0)).kinetic().item(), 1e-8);
        FlowResult mean = flow.forward(z0, solve.withChannels(ke.withNormalisation(RnodeChannels.Normalisation.RNODE_MEAN)),
                Rng.seeded(0));
        assertEquals(2.3149038630 / 4, mean.kinetic().item(), 1e-8);
        // The loss is NLL + λ·mean E.
        assertEquals(mean.nll().item() + mean.kinetic().item(), mean.loss().item(), 1e-12);
    }
}
