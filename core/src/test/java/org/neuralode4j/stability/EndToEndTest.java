package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.neuralode4j.analysis.Conditioning;
import org.neuralode4j.analysis.Jacobians;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.train.TrainConfig;
import org.neuralode4j.train.TrainingStates;

/**
 * stability.md §6 T-10 on the 2-D variant (n = 4, 2 epochs): m ≤ τ on every round's states, ε non-decreasing over
 * ORIGINAL rounds, bitwise-identical reruns; plus the block's D(x)A against the autodiff Jacobian of the model's
 * actual field (so A is not silently Aᵀ) and the POST_HOC schedule's HEAD fine-tuning leaving A and b unchanged.
 */
class EndToEndTest {
    private static final SolverConfig RK4 = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(10));
    private static final LabelledSet TRAIN = Toys2d.diskAnnulus(512, 0);

    private static LogNormClassifier trained(long seed) {
        LogNormClassifier m = new LogNormClassifier(new LogNormSpec(2, 4, 2), Rng.seeded(seed));
        ClassifierTrainer.train(m, TRAIN, new TrainConfig(2, 64, 1e-2, seed, RK4, new Direct()), null, null);
        return m;
    }

    @Test
    void blockJacobianMatchesTheModelsField() {
        LogNormClassifier m = trained(1);
        DenseBlock block = m.denseBlock();
        Tensor z = Rng.seeded(3).normal(0.0, 1.0, 5, 4);
        double[][][] jac;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            jac = Jacobians.exact(m.dynamics(), 0, z);
        }
        double[] zs = z.toArray();
        for (int b = 0; b < 5; b++) {
            double[] x = java.util.Arrays.copyOfRange(zs, 4 * b, 4 * b + 4);
            assertEquals(Conditioning.mu2(jac[b]), LogNorms.mu2OfScaled(block.jacobianScale(x), block.a()), 1e-12);
        }
    }

    @Test
    void t10RoundsFeasibleMonotoneAndReproducible() {
        StabilityOptions opt = StabilityOptions.defaults(0).withSampling(32, 10, 5);
        LogNormClassifier m = trained(2);
        double[] a0 = m.denseBlock().a();
        StabilisationResult r = new Stabiliser(opt).run(m.denseBlock(), new TrainingStates(m, TRAIN, 32, 10, 5, RK4), false);
        assertArrayEquals(a0, m.denseBlock().a(), 0, "collection restores the model's A");
        assertFalse(r.rounds().isEmpty());
        assertNotNull(r.rounds().get(0).status(), "the trained block must need a perturbation at delta 0");
        assertEquals(32 * 11, r.rounds().get(0).states(), "K = N_c (M + 1)");
        double prev = 0;
        for (RoundRecord rr : r.rounds()) {
            if (rr.status() == null) {
                assertTrue(rr.maxBefore() <= opt.tau());
                continue;
            }
            assertTrue(rr.maxAfter() <= opt.tau(), "round " + rr.round() + ": m = " + rr.maxAfter());
            assertTrue(rr.eps() >= prev * (1 - 2 * opt.relTol()), "ORIGINAL: eps non-decreasing");
            prev = rr.eps();
        }
        if (r.rounds().size() > 1 && r.rounds().get(1).status() != null) {
            assertEquals(2 * 32 * 11, r.rounds().get(1).states(), "ORIGINAL grows the set");
        }
        StabilisationResult again = new Stabiliser(opt).run(trained(2).denseBlock(),
                new TrainingStates(trained(2), TRAIN, 32, 10, 5, RK4), false);
        assertArrayEquals(r.stabilised(), again.stabilised(), 0, "bitwise identical rerun");
        assertEquals(r.rounds(), again.rounds().stream().map(x -> new RoundRecord(x.round(), x.states(), x.status(),
                x.eps(), x.outer(), x.inner(), x.evaluations(), x.decompositions(), r.rounds().get(x.round() - 1)
                .seconds(), x.maxBefore(), x.meanBefore(), x.maxAfter(), x.meanAfter(), x.freshAfter())).toList());
    }

    @Test
    void postHocWithHeadFineTuningKeepsTheBlock() {
        LogNormClassifier m = new LogNormClassifier(new LogNormSpec(2, 4, 2), Rng.seeded(4));
        TrainConfig cfg = new TrainConfig(2, 64, 1e-2, 4, RK4, new Direct());
        StabilisedTraining.Settings s = new StabilisedTraining.Settings(Schedule.POST_HOC, FineTune.HEAD, 1,
                StabilityOptions.defaults(0).withSampling(32, 10, 4));
        double[] headBefore = m.parameters().get(4).value().toArray();
        StabilisedTraining.Outcome out = StabilisedTraining.run(m, TRAIN, cfg, s, null, null, null);
        assertEquals(2, out.training().size());
        assertEquals(1, out.fineTune().epochs().size());
        assertArrayEquals(out.post().stabilised(), m.denseBlock().a(), 0, "fine-tuning the head leaves A alone");
        assertFalse(java.util.Arrays.equals(headBefore, m.parameters().get(4).value().toArray()));
        // the stabilised model satisfies the bound at its constraint states
        StateCollector states = new TrainingStates(m, TRAIN, 32, 10, 4, RK4);
        ConstraintStates d = ConstraintStates.collect(m.denseBlock(), states.collect(m.denseBlock()), 1);
        double last = out.post().rounds().get(out.post().rounds().size() - 1).freshAfter();
        assertEquals(last, TopEigenvalues.of(m.denseBlock().a(), d).max(), 1e-12);
        System.out.printf("post-hoc: accuracy %.4f, eps %.4f%n", ClassifierTrainer.evaluate(m, TRAIN, RK4).accuracy(),
                out.post().frobenius());
        StabilisedTraining.Outcome inter = StabilisedTraining.run(new LogNormClassifier(new LogNormSpec(2, 4, 2),
                Rng.seeded(4)), TRAIN, cfg, new StabilisedTraining.Settings(Schedule.INTERLEAVED, FineTune.NONE, 1,
                s.options()), null, null, null);
        assertEquals(1, inter.interleaved().size(), "one round after epoch 1 of 2");
        assertTrue(inter.fineTune().epochs().isEmpty());
    }
}
