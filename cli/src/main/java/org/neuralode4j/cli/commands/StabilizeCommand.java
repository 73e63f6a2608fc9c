package org.neuralode4j.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.options.StabilizeOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.cli.stability.ModelMeasure;
import org.neuralode4j.cli.stability.StabilityReport;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.stability.StabilisationResult;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.stability.StabilityOptions;
import org.neuralode4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stabilize --model DIR --delta D}: the minimal perturbation of a trained log-norm classifier's A so that
 * μ₂ ≤ δ at its constraint states (De Marinis, Guglielmi, Sicilia, Tudisco 2025; stability.md §3, §4.4), then
 * fine-tuning with A and b frozen. Writes a new model folder with {@code stability.json} and {@code stability.txt};
 * everything goes to a temporary folder first, which is renamed into place, and the input model is only read.
 */
@Command(name = "stabilize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Bound the log norm of a trained --arch lognorm model's dense block by the smallest weight change.")
public final class StabilizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train --arch lognorm run.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    StabilizeOptions stab = new StabilizeOptions();

    @Option(names = "--lr", description = "Adam learning rate of the fine-tuning epoch (default ${DEFAULT-VALUE}).")
    double lr = 1e-3;

    @Option(names = "--batch", description = "Batch size of the fine-tuning epoch (default ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--seed", description = "Seed of the constraint sample and the fine-tuning order (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--points", description = "Test points for trajectories and attacks (default ${DEFAULT-VALUE}).")
    int points = 256;

    @Option(names = "--out", paramLabel = "DIR2", description = "The new model folder; must not exist (default: DIR-stable).")
    Path out;

    @Override
    public Integer call() {
        StabilityOptions options = stab.options(seed);
        var fineTune = stab.fineTune();
        if (!(lr > 0) || Double.isInfinite(lr) || batch < 1 || points < 1) {
            throw new NeuralOdeException("--lr must be positive and --batch, --points >= 1 (got " + lr + ", " + batch
                    + ", " + points + ")");
        }
        ModelFiles.Loaded loaded = ModelFiles.load(model);
        if (!(loaded.model() instanceof LogNormClassifier m)) {
            throw new NeuralOdeException("--model " + model + " is not a log-norm classifier: stabilize needs a model"
                    + " trained with --arch lognorm (the dense block tanh(Az + b) of stability.md §5)");
        }
        Path target = (out != null ? out : model.resolveSibling(model.getFileName() + "-stable")).toAbsolutePath();
        if (Files.exists(target)) {
            throw new NeuralOdeException("--out " + target + " already exists: give a new folder (the result is never"
                    + " written over an existing one)");
        }
        LabelledSet[] sets = trainAndTest(loaded);
        if (sets[0].x().dim(1) != m.inputDim()) {
            throw new NeuralOdeException("the data has " + sets[0].x().dim(1) + " feature columns, the model expects "
                    + m.inputDim());
        }
        SolverConfig solver = loaded.solver().config();
        double[] eps = m.inputDim() == 2 ? ModelMeasure.EPS_2D : new double[] {0, 0.01, 0.02, 0.05, 0.1, 0.2};
        var box = org.neuralode4j.cli.run.LogNormImages.box(loaded.data());
        ModelMeasure before = ModelMeasure.of(m, sets[1], solver, points, eps, box, seed);
        long t0 = System.nanoTime();
        StabilisationResult result = StabilisedTraining.stabilise(m, sets[0], solver, options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelMeasure afterStabilise = new ModelMeasure(
                org.neuralode4j.train.ClassifierTrainer.evaluate(m, sets[1], solver).accuracy(), null, new double[0],
                new double[0], new double[0]);
        TrainConfig cfg = new TrainConfig(1, batch, lr, seed, solver, new Direct());
        StabilisedTraining.FineTuneOutcome tuned = StabilisedTraining.fineTune(m, sets[0], cfg, fineTune, options,
                null, null);
        ModelMeasure after = ModelMeasure.of(m, sets[1], solver, points, eps, box, seed);
        StabilityReport report = new StabilityReport(options, null, fineTune, List.of(), result, tuned, before,
                afterStabilise, after, seconds);
        writeAtomically(target, dir -> {
            ModelFiles.save(dir, m, loaded.solver(), loaded.data());
            report.write(dir);
        });
        System.out.print(report.text());
        System.out.println("wrote " + target);
        return 0;
    }

    /**
     * {train, test}: of the options' 2-D set or CSV; for a model trained on images, of its image set (the one named
     * by --dataset, or the model's own), flattened as training did.
     */
    private LabelledSet[] trainAndTest(ModelFiles.Loaded loaded) {
        if (org.neuralode4j.cli.run.LogNormImages.box(loaded.data()) == null) {
            return data.load(seed);
        }
        if (data.dataset == null && data.csv == null) {
            data.dataset = loaded.data().dataset();
        }
        if (!data.images()) {
            throw new NeuralOdeException("this model classifies " + loaded.data().dataset() + " images: give --dataset "
                    + loaded.data().dataset());
        }
        org.neuralode4j.data.ImageSet[] images = data.loadImages(seed);
        return new LabelledSet[] {org.neuralode4j.cli.run.LogNormImages.flatten(images[0]),
            org.neuralode4j.cli.run.LogNormImages.flatten(images[1])};
    }

    /** Fills a temporary sibling folder, then renames it to {@code target}; on failure nothing is left behind. */
    static void writeAtomically(Path target, java.util.function.Consumer<OutputDir> fill) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            fill.accept(new OutputDir(tmp));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot move the result into " + target + ": " + e.getMessage());
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary folder is harmless
        }
    }
}
