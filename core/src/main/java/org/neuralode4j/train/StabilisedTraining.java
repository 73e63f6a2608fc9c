package org.neuralode4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.neuralode4j.data.LabelledRows;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.ParameterSubset;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.stability.FineTune;
import org.neuralode4j.stability.Rebase;
import org.neuralode4j.stability.RoundRecord;
import org.neuralode4j.stability.Schedule;
import org.neuralode4j.stability.StabilisationResult;
import org.neuralode4j.stability.Stabiliser;
import org.neuralode4j.stability.StabilityException;
import org.neuralode4j.stability.StabilityOptions;
import org.neuralode4j.stability.StateCollector;

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
     * @param fineTune        what fine-tuning did
     * @param stabiliseSeconds wall time in STABILISE (interleaved, final and extra rounds; OUTER time for the extra)
     */
    public record Outcome(List<EpochMetrics> training, List<StabilisationResult> interleaved,
                          StabilisationResult post, FineTuneOutcome fineTune, double stabiliseSeconds) {}

    private StabilisedTraining() {}

    /**
     * What fine-tuning did (§4.1 step 4).
     *
     * @param epochs      the fine-tuning epochs (empty for NONE)
     * @param extra       ENCODER_AND_HEAD's extra STABILISE round (satisfied rounds leave A unchanged), or null
     * @param encoderNormBefore ‖W_enc‖₂ before (ENCODER_AND_HEAD; NaN otherwise)
     * @param encoderNormAfter  ‖W_enc‖₂ after
     */
    public record FineTuneOutcome(List<EpochMetrics> epochs, StabilisationResult extra, double encoderNormBefore,
                                  double encoderNormAfter) {}

    /** STABILISE on {@code model} with states from {@code train} and writes the stabilised A back. */
    public static StabilisationResult stabilise(LogNormClassifier model, LabelledRows train, SolverConfig solver,
                                                StabilityOptions options) {
        StateCollector states = new TrainingStates(model, train, options.constraintSamples(), options.gridIntervals(),
                options.seed(), solver);
        StabilisationResult r = new Stabiliser(options).run(model.denseBlock(), states, false);
        model.setBlockMatrix(r.stabilised());
        return r;
    }

    /**
     * §4.1 step 4 with A and b frozen: one epoch of the head (HEAD) or of encoder and head (ENCODER_AND_HEAD, then
     * one more STABILISE round, which changes nothing when the moved states still satisfy the bound), with the
     * training optimiser settings of {@code cfg} and a fresh optimiser.
     */
    public static FineTuneOutcome fineTune(LogNormClassifier model, LabelledRows train, TrainConfig cfg, FineTune mode,
                                           StabilityOptions options, Consumer<EpochMetrics> onEpoch,
                                           ClassifierTrainer.IterationListener onIteration) {
        TrainConfig oneEpoch = new TrainConfig(1, cfg.batch(), cfg.lr(), cfg.seed() + 1, cfg.solver(), cfg.method(),
                List.of(), false, cfg.shards());
        switch (mode) {
            case HEAD:
                return new FineTuneOutcome(ClassifierTrainer.train(new ParameterSubset(model, model.headParameters()),
                        train, oneEpoch, onEpoch, onIteration), null, Double.NaN, Double.NaN);
            case ENCODER_AND_HEAD: {
                List<Parameter> trainable = new ArrayList<>(model.parameters().subList(0, 2));
                trainable.addAll(model.headParameters());
                double before = encoderNorm(model);
                List<EpochMetrics> epochs = ClassifierTrainer.train(new ParameterSubset(model, trainable), train,
                        oneEpoch, onEpoch, onIteration);
                double after = encoderNorm(model);
                StabilisationResult extra = stabilise(model, train, cfg.solver(),
                        options.withRounds(1, options.rebase()));
                return new FineTuneOutcome(epochs, extra, before, after);
            }
            default:
                return new FineTuneOutcome(List.of(), null, Double.NaN, Double.NaN);
        }
    }

    /** Measurement points of the schedule (§4.1 step 2 "measure the baseline", and the accuracy after STABILISE). */
    public interface Phases {
        /** After training, before the final STABILISE. */
        default void afterTraining() {}

        /** After the final STABILISE, before fine-tuning. */
        default void afterStabilise() {}
    }

    /**
     * Runs the schedule; {@code onEpoch} and {@code onIteration} see the training epochs (not the fine-tuning ones,
     * which the outcome holds), {@code phases} (may be null) is called between the steps.
     */
    public static Outcome run(LogNormClassifier model, LabelledRows train, TrainConfig cfg, Settings s,
                              Phases phases, Consumer<EpochMetrics> onEpoch,
                              ClassifierTrainer.IterationListener onIteration) {
        List<StabilisationResult> rounds = new ArrayList<>();
        double[] seconds = {0};
        ClassifierTrainer.EpochHook hook = null;
        if (s.schedule() == Schedule.INTERLEAVED) {
            StabilityOptions one = s.options().withRounds(1, Rebase.CURRENT);
            List<Parameter> block = model.parameters().subList(2, 4); // block.weight (A), block.bias (b)
            hook = (epoch, adam) -> {
                if (epoch % s.every() == 0 && epoch < cfg.epochs()) {
                    long t0 = System.nanoTime();
                    rounds.add(stabilise(model, train, cfg.solver(), one));
                    seconds[0] += (System.nanoTime() - t0) / 1e9;
                    // a projection is not a gradient step: the moments of A and b no longer describe them
                    block.forEach(adam::resetState);
                }
            };
        }
        List<EpochMetrics> training = ClassifierTrainer.train(model, train, cfg, hook, onEpoch, onIteration);
        if (phases != null) {
            phases.afterTraining();
        }
        long t0 = System.nanoTime();
        StabilisationResult post = stabilise(model, train, cfg.solver(), s.options());
        seconds[0] += (System.nanoTime() - t0) / 1e9;
        if (phases != null) {
            phases.afterStabilise();
        }
        FineTuneOutcome tuned = fineTune(model, train, cfg, s.fineTune(), s.options(), null, null);
        if (tuned.extra() != null) {
            seconds[0] += tuned.extra().rounds().stream().mapToDouble(RoundRecord::seconds).sum();
        }
        return new Outcome(training, List.copyOf(rounds), post, tuned, seconds[0]);
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
