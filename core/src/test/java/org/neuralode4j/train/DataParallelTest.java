package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Data-parallel steps give the whole batch's gradient. With a fixed-step solver every shard takes the same steps
 * as the whole batch, so the size-weighted shard gradients must equal the one-batch gradient to round-off.
 */
class DataParallelTest {
    private static final SolverConfig FIXED = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(6));

    @Test
    void boundsCoverTheRowsInNearEqualContiguousRanges() {
        assertArrayEquals(new int[] {0, 3, 6, 10}, DataParallel.bounds(10, 3));
        assertArrayEquals(new int[] {0, 128, 256}, DataParallel.bounds(256, 2));
        assertThrows(NeuralOdeException.class, () -> new DataParallel(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shardedGradientEqualsTheWholeBatchGradient(int shards) {
        for (GradientMethod method : new GradientMethod[] {new Direct(), BacksolveAdjoint.torchdiffeqCompatible()}) {
            for (boolean regularised : new boolean[] {false, true}) {
                AugmentedNodeClassifier model = new AugmentedNodeClassifier(2, 1, 16, 2, 1, Activation.TANH, Rng.seeded(3));
                LabelledSet batch = Toys2d.diskAnnulus(50, 4);
                List<Regulariser> regs = List.of(new KineticEnergy(0.1, Regulariser.Normalisation.SUM));
                BatchStep.Result whole;
                BatchStep.Result split;
                try (DataParallel one = new DataParallel(1); DataParallel many = new DataParallel(shards)) {
                    whole = one.step(model, batch, FIXED, method,
                            rows -> regularised ? model.regularised(regs, rows, Rng.seeded(1)) : null);
                    split = many.step(model, batch, FIXED, method,
                            rows -> regularised ? model.regularised(regs, rows, Rng.seeded(1)) : null);
                }
                String what = method.getClass().getSimpleName() + (regularised ? " + kinetic" : "") + ", " + shards + " shards";
                assertEquals(whole.loss(), split.loss(), 1e-12, what);
                assertEquals(whole.dataLoss(), split.dataLoss(), 1e-12, what);
                assertArrayEquals(whole.regularisers(), split.regularisers(), 1e-12, what);
                assertArrayEquals(whole.predictions(), split.predictions(), what);
                assertEquals(whole.nfeForward(), split.nfeForward(), what);
                assertEquals(whole.grads().size(), split.grads().size(), what);
                for (int i = 0; i < whole.grads().size(); i++) {
                    Tensor a = whole.grads().get(i);
                    Tensor b = split.grads().get(i);
                    double scale = 1e-300;
                    double diff = 0;
                    for (int j = 0; j < a.size(); j++) {
                        scale = Math.max(scale, Math.abs(a.getFlat(j)));
                        diff = Math.max(diff, Math.abs(a.getFlat(j) - b.getFlat(j)));
                    }
                    assertTrue(diff <= 1e-11 * scale, what + ": parameter " + i + " differs by " + diff + " (scale " + scale + ")");
                }
            }
        }
    }

    @Test
    void aShardWithANonFiniteLossMakesTheBatchLossNaN() {
        BatchStep.Result ok = new BatchStep.Result(1, 1, new double[0], List.of(Tensor.scalar(1)), new int[] {1}, 8, 0);
        BatchStep.Result bad = new BatchStep.Result(Double.POSITIVE_INFINITY, 1, new double[0], List.of(), new int[] {0}, 8, 0);
        BatchStep.Result r = DataParallel.combine(new BatchStep.Result[] {ok, bad}, new double[] {0.5, 0.5});
        assertTrue(Double.isNaN(r.loss()));
        assertTrue(r.grads().isEmpty());
        assertArrayEquals(new int[] {1, 0}, r.predictions());
    }

    @Test
    void shardedTrainingLearnsW1() {
        LabelledSet train = Toys2d.diskAnnulus(256, 0);
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(2, 1, 32, 2, 1, Activation.TANH, Rng.seeded(0));
        TrainConfig cfg = new TrainConfig(12, 64, 1e-2, 0, FIXED, new Direct()).withShards(2);
        List<EpochMetrics> h = ClassifierTrainer.train(model, train, cfg, null, null);
        assertTrue(h.get(h.size() - 1).loss() < 0.5 * h.get(0).loss(), "loss " + h.get(0).loss() + " -> " + h.get(h.size() - 1).loss());
        assertTrue(ClassifierTrainer.evaluate(model, Toys2d.diskAnnulus(256, 1), FIXED).accuracy() > 0.9);
    }
}
