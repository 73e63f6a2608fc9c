package org.neuralode4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.data.LabelledRows;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.BceWithLogits;
import org.neuralode4j.nn.loss.CrossEntropy;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Trains a neural-ODE classifier ({@link NodeClassifier}) with Adam: shuffled mini-batches (a fresh permutation each epoch from
 * a generator seeded seed + 100), BCE for two classes and cross-entropy otherwise, forward and backward NFE per
 * iteration. A non-finite loss stops training with the epoch and a hint.
 */
public final class ClassifierTrainer {
    /** Per-iteration progress, for progress bars: (iteration within the epoch, iterations per epoch, loss). */
    public interface IterationListener {
        void onIteration(int iteration, int perEpoch, double loss, long nfeForward);
    }

    private ClassifierTrainer() {}

    /** The loss of a batch: BCE on the single logit (binary) or cross-entropy. */
    public static Tensor loss(NodeClassifier model, Tensor logits, LabelledSet batch) {
        // Targets are data in float64; they take the logits' dtype (a float32 model's loss runs in float32).
        return model.classes() == 2 ? BceWithLogits.mean(logits, Ops.cast(batch.binaryTargets(), logits.dtype()))
                : CrossEntropy.mean(logits, batch.labels());
    }

    /**
     * Work between epochs that changes the model outside the optimiser (e.g. a stabilisation round, stability.md
     * §4.1), given the optimiser so that it can reset the moments of what it changed.
     */
    public interface EpochHook {
        void afterEpoch(int epoch, Adam optimiser);
    }

    /**
     * Runs {@code cfg.epochs()} epochs. Each batch's features are built from {@code data} when it is drawn (an
     * image set keeps bytes), never the whole set per epoch. {@code onEpoch} is called after each complete epoch
     * (write outputs there: an interrupted run keeps the last complete epoch's).
     */
    public static List<EpochMetrics> train(NodeClassifier model, LabelledRows data, TrainConfig cfg,
                                           Consumer<EpochMetrics> onEpoch, IterationListener onIteration) {
        return train(model, data, cfg, null, onEpoch, onIteration);
    }

    /** As above, with {@code hook} (may be null) run after each epoch's updates and before {@code onEpoch}. */
    public static List<EpochMetrics> train(NodeClassifier model, LabelledRows data, TrainConfig cfg, EpochHook hook,
                                           Consumer<EpochMetrics> onEpoch, IterationListener onIteration) {
        Adam adam = new Adam(cfg.lr());
        boolean reg = !cfg.regularisers().isEmpty();
        Rng noise = Rng.seeded(cfg.seed() + 200);
        SolverConfig solver = reg ? withChannels(cfg) : cfg.solver();
        Rng order = Rng.seeded(cfg.seed() + 100);
        List<Parameter> params = model.parameters();
        int n = data.size();
        int batch = Math.min(cfg.batch(), n);
        int perEpoch = Math.max(1, n / batch);
        List<EpochMetrics> out = new ArrayList<>();
        try (DataParallel parallel = new DataParallel(cfg.shards())) {
            for (int e = 1; e <= cfg.epochs(); e++) {
                int[] perm = order.permutation(n);
                long t0 = System.nanoTime();
                long[] nfeF = new long[perEpoch];
                long[] nfeB = new long[perEpoch];
                double sumLoss = 0;
                double[] regSums = new double[cfg.regularisers().size()];
                long correct = 0;
                for (int it = 0; it < perEpoch; it++) {
                    LabelledSet b = data.rows(Arrays.copyOfRange(perm, it * batch, (it + 1) * batch));
                    BatchStep.Result r = parallel.step(model, b, solver, cfg.method(),
                            rows -> reg ? model.regularised(cfg.regularisers(), rows, noise) : null);
                    double value = r.loss();
                    if (!Double.isFinite(value)) {
                        throw new TrainingException("the loss became " + value + " in epoch " + e + ", iteration "
                                + (it + 1) + ": lower the learning rate (--lr) or tighten the solver tolerances"
                                + " (--rtol/--atol)");
                    }
                    adam.step(params, r.grads());
                    for (int k = 0; k < regSums.length; k++) {
                        regSums[k] += r.regularisers()[k];
                    }
                    int[] pred = r.predictions();
                    for (int i = 0; i < pred.length; i++) {
                        if (pred[i] == b.labels()[i]) {
                            correct++;
                        }
                    }
                    nfeF[it] = r.nfeForward();
                    nfeB[it] = r.nfeBackward();
                    sumLoss += value;
                    if (onIteration != null) {
                        onIteration.onIteration(it + 1, perEpoch, value, nfeF[it]);
                    }
                }
                java.util.Map<String, Double> regMeans = new java.util.LinkedHashMap<>();
                for (int k = 0; k < regSums.length; k++) {
                    regMeans.put(cfg.regularisers().get(k).name(), regSums[k] / perEpoch);
                }
                if (hook != null) {
                    hook.afterEpoch(e, adam);
                }
                EpochMetrics m = new EpochMetrics(e, sumLoss / perEpoch, correct / (double) (perEpoch * batch), nfeF,
                        nfeB, (System.nanoTime() - t0) / 1e9, regMeans);
                out.add(m);
                if (onEpoch != null) {
                    onEpoch.accept(m);
                }
            }
        }
        return out;
    }

    /** The solver with the regulariser channels out of step control unless asked (regularisers.md §2.3). */
    private static SolverConfig withChannels(TrainConfig cfg) {
        SolverConfig s = cfg.solver();
        if (!s.isAdaptive() || cfg.regularisersInStepControl()) {
            return s;
        }
        boolean[] counted = new boolean[1 + cfg.regularisers().size()];
        counted[0] = true;
        return s.withStepControl(s.stepControl().withCounted(counted));
    }

    /** Accuracy and NFE of solving the whole set in one batch, without gradients (direct, no regularisers). */
    public static Evaluation evaluate(NodeClassifier model, LabelledSet set, SolverConfig solver) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution s = model.flow(set.x(), solver, new Direct());
            int[] pred = model.predict(model.logits(s));
            long correct = 0;
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] == set.labels()[i]) {
                    correct++;
                }
            }
            return new Evaluation(correct / (double) set.size(), s.stats().nfe(), pred);
        }
    }

    /** Result of {@link #evaluate}. */
    public record Evaluation(double accuracy, long nfe, int[] predictions) {}
}
