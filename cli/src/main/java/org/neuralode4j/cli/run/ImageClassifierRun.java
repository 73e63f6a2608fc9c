package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.models.ConvClassifierSpec;
import org.neuralode4j.models.ConvOdeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.kernels.KernelTuning;
import org.neuralode4j.train.BatchedEvaluation;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;

/**
 * One training run of a convolutional image classifier (Fashion-MNIST, MNIST): as {@link ClassifierRun}, with
 * batches built from the image bytes as they are drawn, progress in images/s, the test set evaluated in batches
 * of {@link #EVAL_BATCH} in file order (as W3), and the confusion matrix and a labelled grid of test images.
 * {@code metrics.json} carries the same {@code status} and {@code checkpoint_epoch} as a classifier run's.
 */
public final class ImageClassifierRun {
    /** Evaluation batch (workloads.md §3: the test set in batches of 1000). */
    public static final int EVAL_BATCH = 1000;

    private ImageClassifierRun() {}

    /**
     * Everything a run needs; {@code dataName} is the canonical --dataset name saved with the model, {@code dtype}
     * the model's precision.
     */
    public record Setup(String dataName, ImageSet train, ImageSet test, ConvClassifierSpec spec, SolverOptions solver,
                        int epochs, int batch, double lr, long seed, int threads, boolean progress,
                        List<Regulariser> regularisers, boolean regularisersInStepControl, DType dtype) {
        /** This setup with the model (parameters, activations, ODE state) in {@code d}. */
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
        ConvOdeClassifier model = new ConvOdeClassifier(s.spec(), Rng.seeded(s.seed()), s.dtype());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("status", "running");
        metrics.put("checkpoint_epoch", 0);
        metrics.put("dataset", s.train().name());
        metrics.put("train_size", s.train().size());
        metrics.put("test_size", s.test().size());
        metrics.put("model", s.spec());
        metrics.put("parameters", model.parameters().stream().mapToInt(p -> p.shape().size()).sum());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("solver", s.solver().solver);
        settings.put("rtol", s.solver().rtol);
        settings.put("atol", s.solver().atol);
        settings.put("step_control", s.solver().stepControl);
        settings.put("gradient", s.solver().gradient);
        settings.put("epochs", s.epochs());
        settings.put("batch", s.batch());
        settings.put("lr", s.lr());
        settings.put("seed", s.seed());
        settings.put("dtype", s.dtype().label());
        settings.put("threads", s.threads());
        settings.put("eval_batch", EVAL_BATCH);
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
        log.printf("%s: %d training, %d test images; %s, %d parameters, %s%n", s.train().name(), s.train().size(),
                s.test().size(), describe(s.spec()), metrics.get("parameters"), s.dtype().label());
        long t0 = System.nanoTime();
        Progress progress = new Progress(s.progress(), s.epochs(), log, Math.min(s.batch(), s.train().size()), "images");
        List<EpochMetrics> history;
        BatchedEvaluation test;
        double trainSeconds;
        try {
            history = ClassifierTrainer.train(model, s.train(), cfg, m -> {
                epochs.add(epochEntry(m, Math.min(s.batch(), s.train().size())));
                ConvModelFiles.save(out, model, s.solver(), s.dataName(), s.train().classNames());
                metrics.put("checkpoint_epoch", m.epoch());
                out.writeJson("metrics.json", metrics);
                progress.epochDone(m);
            }, progress::iteration);
            progress.close();
            trainSeconds = (System.nanoTime() - t0) / 1e9;
            test = BatchedEvaluation.run(model, s.test(), solver, EVAL_BATCH);
        } catch (NeuralOdeException e) {
            progress.close();
            throw ClassifierRun.stopped(out, metrics, e);
        }

        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("test_accuracy", test.accuracy());
        fin.put("test_nfe_mean", test.nfeMean());
        fin.put("test_nfe_max", test.nfeMax());
        fin.put("confusion", test.confusion(s.test().classes()));
        fin.put("training_seconds", trainSeconds);
        fin.put("total_seconds", (System.nanoTime() - t0) / 1e9);
        metrics.put("final", fin);
        try {
            ImageReport.history(out, history, s.solver().gradient);
            ImageReport.evaluation(out, s.test(), test, s.train().name());
        } catch (NeuralOdeException e) {
            throw ClassifierRun.stopped(out, metrics, e);
        }
        metrics.put("status", "complete");
        out.writeJson("metrics.json", metrics);
        log.printf("test accuracy %.4f on %d images, test NFE %.1f per batch of %d; training %.0f s%n", test.accuracy(),
                s.test().size(), test.nfeMean(), EVAL_BATCH, trainSeconds);
        log.println("report: " + out.dir());
        return metrics;
    }

    private static Map<String, Object> epochEntry(EpochMetrics m, int batch) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", m.epoch());
        e.put("loss", m.loss());
        e.put("train_accuracy", m.trainAccuracy());
        e.put("nfe_forward", m.nfeForward());
        e.put("nfe_backward", m.nfeBackward());
        e.put("seconds", m.seconds());
        e.put("images_per_second", m.nfeForward().length * (double) batch / m.seconds());
        if (!m.regularisers().isEmpty()) {
            e.put("regularisers", m.regularisers());
        }
        return e;
    }

    static String describe(ConvClassifierSpec s) {
        return "conv ODE classifier (" + s.channels() + " channels at " + s.mapSide() + "×" + s.mapSide() + ", t "
                + s.timeInput().name().toLowerCase(java.util.Locale.ROOT) + ", " + s.head().name().toLowerCase(java.util.Locale.ROOT)
                + " head)";
    }
}
