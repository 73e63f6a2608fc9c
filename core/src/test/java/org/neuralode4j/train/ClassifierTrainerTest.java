package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The classifier trainer: configuration checks, learning a separable problem, bit-for-bit reproducibility from the
 * seed (the property the CLI's metrics rely on), the divergence stop, and the evaluation it reports.
 */
class ClassifierTrainerTest {
    private static final SolverConfig SOLVER = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));

    /** Two Gaussian blobs at x = ±1.5: linearly separable, so a few epochs must learn it. */
    private static LabelledSet blobs(int n, long seed) {
        Rng r = Rng.seeded(seed);
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[2 * i] = (y[i] == 1 ? 1.5 : -1.5) + 0.3 * r.nextGaussian();
            x[2 * i + 1] = 0.5 * r.nextGaussian();
        }
        return new LabelledSet(Tensor.of(x, n, 2), y);
    }

    private static AugmentedNodeClassifier model(long seed, int classes) {
        return new AugmentedNodeClassifier(new ClassifierSpec(2, 1, 16, 1, Activation.TANH, TimeInput.IGNORE, classes),
                Rng.seeded(seed));
    }

    @Test
    void theConfigurationRefusesImpossibleValues() {
        assertThrows(ConfigException.class, () -> new TrainConfig(0, 8, 1e-2, 0, SOLVER, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 0, 1e-2, 0, SOLVER, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 8, 0, 0, SOLVER, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 8, Double.NaN, 0, SOLVER, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 8, Double.POSITIVE_INFINITY, 0, SOLVER, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 8, 1e-2, 0, null, new Direct()));
        assertThrows(ConfigException.class, () -> new TrainConfig(1, 8, 1e-2, 0, SOLVER, new Direct()).withShards(0));
        TrainConfig c = new TrainConfig(1, 8, 1e-2, 0, SOLVER, new Direct(), null, false);
        assertTrue(c.regularisers().isEmpty());
        assertEquals(1, c.shards());
    }

    @Test
    void itLearnsASeparableProblemAndReportsEveryEpoch() {
        LabelledSet train = blobs(256, 1);
        AugmentedNodeClassifier m = model(0, 2);
        List<EpochMetrics> seen = new ArrayList<>();
        int[] iterations = {0};
        List<EpochMetrics> h = ClassifierTrainer.train(m, train, new TrainConfig(6, 64, 2e-2, 0, SOLVER, new Direct()),
                seen::add, (it, perEpoch, loss, nfe) -> {
                    assertEquals(4, perEpoch);
                    assertTrue(Double.isFinite(loss) && nfe > 0);
                    iterations[0]++;
                });
        assertEquals(h, seen, "onEpoch sees every epoch, in order");
        assertEquals(24, iterations[0]);
        for (int e = 0; e < h.size(); e++) {
            assertEquals(e + 1, h.get(e).epoch());
            assertEquals(4, h.get(e).nfeForward().length);
            assertTrue(h.get(e).meanNfeForward() > 0 && h.get(e).meanNfeBackward() == 0, "direct: no backward solves");
        }
        assertTrue(h.get(5).loss() < 0.5 * h.get(0).loss(), "loss falls: " + h.get(0).loss() + " → " + h.get(5).loss());
        ClassifierTrainer.Evaluation test = ClassifierTrainer.evaluate(m, blobs(200, 2), SOLVER);
        assertTrue(test.accuracy() > 0.95, "test accuracy " + test.accuracy());
    }

    @Test
    void theSameSeedGivesBitIdenticalTrainingAndAnotherSeedAnother() {
        LabelledSet train = blobs(128, 3);
        List<Regulariser> regs = List.of(new KineticEnergy(0.01, Regulariser.Normalisation.SUM));
        TrainConfig cfg = new TrainConfig(2, 32, 1e-2, 11, SOLVER, new Direct(), regs, false);
        double[][] first = trained(train, cfg, 11);
        double[][] second = trained(train, cfg, 11);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], 0.0, "parameter " + i);
        }
        TrainConfig other = new TrainConfig(2, 32, 1e-2, 12, SOLVER, new Direct(), regs, false);
        double[][] third = trained(train, other, 11);
        assertFalse(java.util.Arrays.deepEquals(first, third), "another batch order (seed) trains another model");
    }

    private static double[][] trained(LabelledSet train, TrainConfig cfg, long initSeed) {
        AugmentedNodeClassifier m = model(initSeed, 2);
        List<EpochMetrics> h = ClassifierTrainer.train(m, train, cfg, null, null);
        assertEquals(Set.of("kinetic"), new HashSet<>(h.get(0).regularisers().keySet()), h.get(0).regularisers().toString());
        List<Parameter> p = m.parameters();
        double[][] out = new double[p.size() + 1][];
        for (int i = 0; i < p.size(); i++) {
            out[i] = p.get(i).value().toArray();
        }
        out[p.size()] = h.stream().mapToDouble(EpochMetrics::loss).toArray();
        return out;
    }

    @Test
    void aBatchLargerThanTheDataIsTheWholeDataOnce() {
        int[] perEpoch = {0};
        ClassifierTrainer.train(model(0, 2), blobs(20, 4), new TrainConfig(1, 1000, 1e-2, 0, SOLVER, new Direct()), null,
                (it, n, loss, nfe) -> perEpoch[0] = n);
        assertEquals(1, perEpoch[0]);
    }

    @Test
    void aNonFiniteLossStopsTrainingWithTheEpochAndAHint() {
        // A NaN in the head (not the field): the solve succeeds and the NaN reaches the loss.
        AugmentedNodeClassifier m = model(0, 2);
        Parameter bias = m.parameters().stream().filter(p -> p.name().equals("head.bias")).findFirst().orElseThrow();
        bias.set(Tensor.full(Double.NaN, bias.shape()));
        TrainingException e = assertThrows(TrainingException.class, () -> ClassifierTrainer.train(m, blobs(64, 5),
                new TrainConfig(2, 64, 1e-2, 0, SOLVER, new Direct()), null, null));
        assertTrue(e.getMessage().contains("epoch 1, iteration 1") && e.getMessage().contains("--lr"), e.getMessage());
    }

    @Test
    void evaluationCountsPredictionsAgainstLabelsForManyClasses() {
        AugmentedNodeClassifier m = model(5, 3);
        LabelledSet set = new LabelledSet(Tensor.of(new double[] {0, 0, 1, 1, -1, 2, 3, -2}, 4, 2), new int[] {0, 1, 2, 0});
        ClassifierTrainer.Evaluation e = ClassifierTrainer.evaluate(m, set, SOLVER);
        int correct = 0;
        for (int i = 0; i < 4; i++) {
            assertTrue(e.predictions()[i] >= 0 && e.predictions()[i] < 3);
            correct += e.predictions()[i] == set.labels()[i] ? 1 : 0;
        }
        assertEquals(correct / 4.0, e.accuracy(), 0.0);
        assertTrue(e.nfe() > 0);
        Tensor logits = m.logits(m.flow(set.x(), SOLVER, new Direct()));
        assertArrayEquals(m.predict(logits), e.predictions());
    }
}
