package org.neuralode4j.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.ParameterSubset;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;

/**
 * Stabilisation embedded in training, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §4.1:
 * POST_HOC (train, STABILISE, freeze A and b, fine-tune) and INTERLEAVED (a CURRENT-rebase round every k epochs with
 * the optimiser moments of A and b reset, then POST_HOC's steps 3–4).
 */
public final class StabilisedTraining {
    /**
     * @param schedule POST_HOC or INTERLEAVED
     * @param fineTune what is fine-tuned after the final STABILISE
     * @param every    k: epochs between interleaved rounds (≥ 1)
     * @param options  the stabiliser's options
     */
    public record Settings(Schedule schedule, FineTune fineTune, int every, StabilityOptions options) {
        public Settings {
            if (every < 1) {
                throw new StabilityException(StabilityException.Kind.UNSUPPORTED,
                        "stabilize every = " + every + ": must be >= 1 epoch");
            }
        }
    }

    /**
     * What the schedule did.
     *
     * @param training        the training epochs
     * @param interleaved     the interleaved rounds' results (empty for POST_HOC)
     * @param post            the final STABILISE
     * @param extra           the extra round after ENCODER_AND_HEAD fine-tuning, or null
     * @param fineTune        the fine-tuning epochs (empty for NONE)
     * @param encoderNormBefore ‖W_enc‖₂ before fine-tuning (ENCODER_AND_HEAD; NaN otherwise)
     * @param encoderNormAfter  ‖W_enc‖₂ after
     * @param stabiliseSeconds wall time in STABILISE (all rounds)
     */
    public record Outcome(List<EpochMetrics> training, List<StabilisationResult> interleaved,
                          StabilisationResult post, StabilisationResult extra, List<EpochMetrics> fineTune,
                          double encoderNormBefore, double encoderNormAfter, double stabiliseSeconds) {}

    private StabilisedTraining() {}

    /** STABILISE on {@code model} with states from {@code train} and writes the stabilised A back. */
    public static StabilisationResult stabilise(LogNormClassifier model, LabelledSet train, TrainConfig cfg,
                                                StabilityOptions options) {
        StateCollector states = new TrainingStates(model, train, options.constraintSamples(), options.gridIntervals(),
                options.seed(), cfg.solver());
        StabilisationResult r = new Stabiliser(options).run(model.denseBlock(), states, false);
        model.setBlockMatrix(r.stabilised());
        return r;
    }

    /** Runs the schedule; {@code onEpoch} sees training and fine-tuning epochs. */
    public static Outcome run(LogNormClassifier model, LabelledSet train, TrainConfig cfg, Settings s,
                              Consumer<EpochMetrics> onEpoch, ClassifierTrainer.IterationListener onIteration) {
        List<StabilisationResult> rounds = new ArrayList<>();
        double[] seconds = {0};
        ClassifierTrainer.EpochHook hook = null;
        if (s.schedule() == Schedule.INTERLEAVED) {
            StabilityOptions one = s.options().withRounds(1, Rebase.CURRENT);
            List<Parameter> block = model.parameters().subList(2, 4); // block.weight (A), block.bias (b)
            hook = (epoch, adam) -> {
                if (epoch % s.every() == 0 && epoch < cfg.epochs()) {
                    long t0 = System.nanoTime();
                    rounds.add(stabilise(model, train, cfg, one));
                    seconds[0] += (System.nanoTime() - t0) / 1e9;
                    // a projection is not a gradient step: the moments of A and b no longer describe them
                    block.forEach(adam::resetState);
                }
            };
        }
        List<EpochMetrics> training = ClassifierTrainer.train(model, train, cfg, hook, onEpoch, onIteration);
        long t0 = System.nanoTime();
        StabilisationResult post = stabilise(model, train, cfg, s.options());
        seconds[0] += (System.nanoTime() - t0) / 1e9;
        List<EpochMetrics> tuned = List.of();
        StabilisationResult extra = null;
        double encBefore = Double.NaN;
        double encAfter = Double.NaN;
        TrainConfig oneEpoch = new TrainConfig(1, cfg.batch(), cfg.lr(), cfg.seed() + 1, cfg.solver(), cfg.method(),
                List.of(), false, cfg.shards());
        if (s.fineTune() == FineTune.HEAD) {
            tuned = ClassifierTrainer.train(new ParameterSubset(model, model.headParameters()), train, oneEpoch, onEpoch,
                    onIteration);
        } else if (s.fineTune() == FineTune.ENCODER_AND_HEAD) {
            List<Parameter> trainable = new ArrayList<>(model.parameters().subList(0, 2));
            trainable.addAll(model.headParameters());
            encBefore = encoderNorm(model);
            tuned = ClassifierTrainer.train(new ParameterSubset(model, trainable), train, oneEpoch, onEpoch, onIteration);
            encAfter = encoderNorm(model);
            t0 = System.nanoTime();
            StabilityOptions one = s.options().withRounds(1, s.options().rebase());
            extra = stabilise(model, train, cfg, one); // a satisfied round leaves A unchanged
            seconds[0] += (System.nanoTime() - t0) / 1e9;
        }
        return new Outcome(training, List.copyOf(rounds), post, extra, tuned, encBefore, encAfter, seconds[0]);
    }

    private static double encoderNorm(LogNormClassifier model) {
        Parameter w = model.parameters().get(0);
        int rows = w.shape().dim(0);
        int cols = w.shape().dim(1);
        var svd = org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(rows, cols, false, false, true);
        svd.decompose(new org.ejml.data.DMatrixRMaj(rows, cols, true, w.value().toArray()));
        double m = 0;
        for (double v : svd.getSingularValues()) {
            m = Math.max(m, v);
        }
        return m;
    }
}
