package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.LabelledSet;
import java.util.function.Consumer;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;
import org.neuralode4j.tensor.kernels.KernelTuning;
import org.neuralode4j.cli.stability.StabilisedRun;

/**
 * One training run of a classifier as the CLI does it: train, and after every epoch rewrite the model and then
 * {@code metrics.json} (an interrupted run keeps its last complete epoch), then evaluate and draw the report.
 *
 * <p>{@code metrics.json} says what the folder holds: its {@code status} is {@code running} from the first write (so
 * that a folder reused from an earlier run never looks complete), {@code stopped} with an {@code error} when the run
 * failed, and {@code complete} only after the model, the final metrics and every picture are written;
 * {@code checkpoint_epoch} is the epoch the saved model belongs to. Each file is written atomically.
 */
public final class ClassifierRun {
    private ClassifierRun() {}

    /** Everything a run needs. */
    public record Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                        int epochs, int batch, double lr, long seed, int threads, boolean progress,
                        List<Regulariser> regularisers, boolean regularisersInStepControl, ModelData data,
                        LogNormSpec logNorm, StabilisedTraining.Settings stabilise, DType dtype) {
        /**
         * The augmented classifier without stabilisation, in float64 (the demo and the studies, whose figures were
         * measured in float64; {@code train} sets its precision with {@link #withDType}).
         */
        public Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                     int epochs, int batch, double lr, long seed, int threads, boolean progress,
                     List<Regulariser> regularisers, boolean regularisersInStepControl, ModelData data) {
            this(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, data, null, null, DType.F64);
        }

        /** Without regularisers, on a built-in set whose labels are the class indices. */
        public Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                     int epochs, int batch, double lr, long seed, int threads, boolean progress) {
            this(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, List.of(), false,
                    new ModelData(dataName, true, null, null, seed, ModelData.OLD_TEST_FRACTION,
                            ClassLabels.identity(spec.classes())));
        }

        public Setup withRegularisers(List<Regulariser> regs, boolean inStepControl) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regs, inStepControl,
                    data, logNorm, stabilise, dtype);
        }

        public Setup withData(ModelData d) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, d, logNorm, stabilise, dtype);
        }

        /** The log-norm classifier of stability.md §5 instead, stabilised by {@code stab} when it is not null. */
        public Setup withLogNorm(LogNormSpec ln, StabilisedTraining.Settings stab) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, data, ln, stab, dtype);
        }

        /** The same run with its model in {@code d}. */
        public Setup withDType(DType d) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, data, logNorm, stabilise, d);
        }
    }

    /** Trains, writes metrics, model and PNGs into {@code out}; returns the final metrics map. */
    public static Map<String, Object> run(Setup s, OutputDir out, PrintStream log) {
        int kernelThreads = KernelTuning.maxThreads();
        KernelTuning.setMaxThreads(1); // the data-parallel shards are the parallelism
        try {
            return train(s, out, log);
        } finally {
            // Restored: a later run in the same JVM (tests, studies) keeps its own kernel threads.
            KernelTuning.setMaxThreads(kernelThreads);
        }
    }

    private static Map<String, Object> train(Setup s, OutputDir out, PrintStream log) {
        SolverConfig solver = s.solver().config();
        TrainConfig cfg = new TrainConfig(s.epochs(), s.batch(), s.lr(), s.seed(), solver, s.solver().method(),
                s.regularisers(), s.regularisersInStepControl(), s.threads());
        // The log-norm block is float64 only for now (its stabiliser works in float64, stability.md §3.7).
        NodeClassifier model = s.logNorm() != null ? new LogNormClassifier(s.logNorm(), Rng.seeded(s.seed()))
                : new AugmentedNodeClassifier(s.spec(), Rng.seeded(s.seed()), s.dtype());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("status", "running");
        metrics.put("checkpoint_epoch", 0);
        metrics.put("dataset", s.dataName());
        metrics.put("train_size", s.train().size());
        metrics.put("test_size", s.test().size());
        metrics.put("model", s.logNorm() != null ? s.logNorm() : s.spec());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("solver", s.solver().solver);
        settings.put("rtol", s.solver().rtol);
        settings.put("atol", s.solver().atol);
        settings.put("step_control", s.solver().stepControl);
        settings.put("batch_mode", s.solver().batchMode);
        settings.put("max_steps", s.solver().maxSteps);
        settings.put("gradient", s.solver().gradient);
        settings.put("epochs", s.epochs());
        settings.put("batch", s.batch());
        settings.put("lr", s.lr());
        settings.put("seed", s.seed());
        settings.put("threads", s.threads());
        settings.put("dtype", s.dtype().label());
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Regulariser r : s.regularisers()) {
            weights.put(r.name(), r.weight());
        }
        settings.put("regularisers", weights);
        settings.put("regularisers_in_step_control", s.regularisersInStepControl());
        metrics.put("settings", settings);
        List<Map<String, Object>> epochs = new ArrayList<>();
        metrics.put("epochs", epochs);
        out.writeJson("metrics.json", metrics);
        Progress progress = new Progress(s.progress(), s.epochs(), log);
        Consumer<EpochMetrics> onEpoch = m -> {
            epochs.add(epochEntry(m));
            ModelFiles.save(out, model, s.solver(), s.data());
            metrics.put("checkpoint_epoch", m.epoch());
            out.writeJson("metrics.json", metrics);
            progress.epochDone(m);
        };
        List<EpochMetrics> history;
        ClassifierTrainer.Evaluation trainEval;
        ClassifierTrainer.Evaluation testEval;
        double trainSeconds;
        long trainStart = System.nanoTime();
        try {
            if (s.stabilise() != null) {
                history = StabilisedRun.train((LogNormClassifier) model, s, cfg, out, onEpoch, progress::iteration, log);
                ModelFiles.save(out, model, s.solver(), s.data());
            } else {
                history = ClassifierTrainer.train(model, s.train(), cfg, onEpoch, progress::iteration);
            }
            trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            progress.close();
            trainEval = ClassifierTrainer.evaluate(model, s.train(), solver);
            testEval = ClassifierTrainer.evaluate(model, s.test(), solver);
        } catch (NeuralOdeException e) {
            progress.close();
            throw stopped(out, metrics, e);
        }
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("train_accuracy", trainEval.accuracy());
        fin.put("test_accuracy", testEval.accuracy());
        fin.put("test_nfe", testEval.nfe());
        double[] secs = history.stream().mapToDouble(EpochMetrics::seconds).sorted().toArray();
        fin.put("median_seconds_per_epoch", secs.length % 2 == 1 ? secs[secs.length / 2]
                : 0.5 * (secs[secs.length / 2 - 1] + secs[secs.length / 2]));
        fin.put("wall_seconds", trainSeconds);
        metrics.put("final", fin);
        try {
            ReportPlots.write(out, model, s, history, solver);
        } catch (NeuralOdeException e) {
            throw stopped(out, metrics, e);
        }
        metrics.put("status", "complete");
        out.writeJson("metrics.json", metrics);
        log.printf("train accuracy %.4f, test accuracy %.4f, test NFE %d, median %.3f s/epoch%n", trainEval.accuracy(),
                testEval.accuracy(), testEval.nfe(), (Double) fin.get("median_seconds_per_epoch"));
        log.println("report: " + out.dir());
        return metrics;
    }

    private static Map<String, Object> epochEntry(EpochMetrics m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", m.epoch());
        e.put("loss", m.loss());
        e.put("train_accuracy", m.trainAccuracy());
        e.put("nfe_forward", m.nfeForward());
        e.put("nfe_backward", m.nfeBackward());
        e.put("seconds", m.seconds());
        if (!m.regularisers().isEmpty()) {
            e.put("regularisers", m.regularisers());
        }
        return e;
    }

    /** Records the failure in metrics.json (status "stopped") and returns the one-line error to throw. */
    static NeuralOdeException stopped(OutputDir out, Map<String, Object> metrics, NeuralOdeException e) {
        metrics.put("status", "stopped");
        metrics.put("error", e.getMessage());
        out.writeJson("metrics.json", metrics);
        int kept = (Integer) metrics.get("checkpoint_epoch");
        return new NeuralOdeException(e.getMessage() + (kept == 0 ? "" : "; the model of epoch " + kept + " is kept in "
                + out.dir()));
    }
}
