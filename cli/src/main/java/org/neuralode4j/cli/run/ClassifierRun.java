package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.cli.options.PrecisionOption;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;
import org.neuralode4j.tensor.kernels.KernelTuning;

/**
 * One training run of a classifier as the CLI does it: train, and after every epoch rewrite {@code metrics.json}
 * and the model (an interrupted run keeps its last complete epoch), then evaluate and draw the report.
 */
public final class ClassifierRun {
    private ClassifierRun() {}

    /** Everything a run needs. */
    public record Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                        int epochs, int batch, double lr, long seed, int threads, boolean progress,
                        List<Regulariser> regularisers, boolean regularisersInStepControl, DType dtype) {
        /** In the default precision ({@link PrecisionOption#DEFAULT}). */
        public Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                     int epochs, int batch, double lr, long seed, int threads, boolean progress,
                     List<Regulariser> regularisers, boolean regularisersInStepControl) {
            this(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, PrecisionOption.DEFAULT);
        }

        /** Without regularisers. */
        public Setup(String dataName, LabelledSet train, LabelledSet test, ClassifierSpec spec, SolverOptions solver,
                     int epochs, int batch, double lr, long seed, int threads, boolean progress) {
            this(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, List.of(), false);
        }

        public Setup withRegularisers(List<Regulariser> regs, boolean inStepControl) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regs, inStepControl,
                    dtype);
        }

        /** The same run with its model in {@code d}. */
        public Setup withDType(DType d) {
            return new Setup(dataName, train, test, spec, solver, epochs, batch, lr, seed, threads, progress, regularisers,
                    regularisersInStepControl, d);
        }
    }

    /** Trains, writes metrics, model and PNGs into {@code out}; returns the final metrics map. */
    public static Map<String, Object> run(Setup s, OutputDir out, PrintStream log) {
        KernelTuning.setMaxThreads(1); // the data-parallel shards are the parallelism
        SolverConfig solver = s.solver().config();
        TrainConfig cfg = new TrainConfig(s.epochs(), s.batch(), s.lr(), s.seed(), solver, s.solver().method(),
                s.regularisers(), s.regularisersInStepControl(), s.threads());
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(s.spec(), Rng.seeded(s.seed()), s.dtype());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("dataset", s.dataName());
        metrics.put("train_size", s.train().size());
        metrics.put("test_size", s.test().size());
        metrics.put("model", s.spec());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("solver", s.solver().solver);
        settings.put("rtol", s.solver().rtol);
        settings.put("atol", s.solver().atol);
        settings.put("step_control", s.solver().stepControl);
        settings.put("batch_mode", s.solver().batchMode);
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
        Progress progress = new Progress(s.progress(), s.epochs(), log);
        List<EpochMetrics> history = ClassifierTrainer.train(model, s.train(), cfg, m -> {
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
            epochs.add(e);
            out.writeJson("metrics.json", metrics);
            ModelFiles.save(out, model, s.solver());
            progress.epochDone(m);
        }, progress::iteration);
        progress.close();

        ClassifierTrainer.Evaluation trainEval = ClassifierTrainer.evaluate(model, s.train(), solver);
        ClassifierTrainer.Evaluation testEval = ClassifierTrainer.evaluate(model, s.test(), solver);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("train_accuracy", trainEval.accuracy());
        fin.put("test_accuracy", testEval.accuracy());
        fin.put("test_nfe", testEval.nfe());
        double[] secs = history.stream().mapToDouble(EpochMetrics::seconds).sorted().toArray();
        fin.put("median_seconds_per_epoch", secs.length % 2 == 1 ? secs[secs.length / 2]
                : 0.5 * (secs[secs.length / 2 - 1] + secs[secs.length / 2]));
        metrics.put("final", fin);
        ReportPlots.write(out, model, s, history, solver);
        out.writeJson("metrics.json", metrics);
        log.printf("train accuracy %.4f, test accuracy %.4f, test NFE %d, median %.3f s/epoch%n", trainEval.accuracy(),
                testEval.accuracy(), testEval.nfe(), (Double) fin.get("median_seconds_per_epoch"));
        log.println("report: " + out.dir());
        return metrics;
    }
}
