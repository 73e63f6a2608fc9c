package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.options.ModelOptions;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.options.ModelSize;
import org.neuralode4j.cli.run.ClassLabels;
import org.neuralode4j.cli.run.ClassifierRun;
import org.neuralode4j.cli.run.ModelData;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.stability.Schedule;
import org.neuralode4j.train.StabilisedTraining;
import org.neuralode4j.cli.options.ImageModelOptions;
import org.neuralode4j.cli.run.ImageClassifierRun;
import org.neuralode4j.cli.run.ImageDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: trains an augmented neural-ODE classifier (2-D sets, CSV), a convolutional one (images), or with
 * {@code --arch lognorm} the dense log-norm classifier (any of them), and writes metrics, model and pictures to --out.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a neural-ODE classifier on a built-in 2-D set, a CSV file or installed images (fmnist, mnist):"
                + " augmented MLP field (2-D, CSV), convolutional (images), or --arch lognorm's dense block (any).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SolverOptions solver = new SolverOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Mixin
    org.neuralode4j.cli.options.RegOptions regs = new org.neuralode4j.cli.options.RegOptions();

    @Mixin
    org.neuralode4j.cli.options.StabilizeOptions stab = new org.neuralode4j.cli.options.StabilizeOptions();

    @Mixin
    org.neuralode4j.cli.options.PrecisionOption precision = new org.neuralode4j.cli.options.PrecisionOption();

    @Option(names = "--stabilize", description = "Log-norm stabilisation of an --arch lognorm model (stability.md §4.1):"
            + " post (after training) or interleaved (a round every --stabilize-every epochs, then post).")
    String stabilize;

    @Option(names = "--stabilize-every", description = "Epochs between interleaved rounds (default ${DEFAULT-VALUE}).")
    int stabilizeEvery = 1;

    @Mixin
    ImageModelOptions imageModel = new ImageModelOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Spec
    CommandSpec spec;

    private static final String LOGNORM_FLOAT64 = "--arch lognorm trains in float64 only for now (its stabiliser works"
            + " in float64, stability.md §3.7)";

    @Override
    public Integer call() {
        if (data.images() && model.isLogNorm()) {
            // The paper's dense form on flattened pixels (stability.md §5), run like any log-norm classifier.
            precision.float64Only(LOGNORM_FLOAT64);
            ClassifierRun.Setup setup = training.logNormImageSetup(data, solver, regs, spec.commandLine().getParseResult());
            ClassifierRun.run(setup.withLogNorm(model.logNormSpec(setup.train()), stabilisation(setup.seed())),
                    new OutputDir(out), System.out);
            return 0;
        }
        if (data.images()) {
            // The convolutional image model has no dense block to stabilise; say so rather than ignore the option.
            if (stabilize != null) {
                throw new NeuralOdeException("--stabilize needs --arch lognorm (the dense block tanh(Az + b) of"
                        + " stability.md §5); the convolutional image model has no such block");
            }
            ImageClassifierRun.run(training.imageSetup(data, model, imageModel, solver, regs, spec.commandLine().getParseResult())
                    .withDType(precision.dtype()), new OutputDir(out), System.out);
            return 0;
        }
        ClassifierRun.Setup setup = training.setup(data, model, solver).withRegularisers(regs.regularisers(), regs.inStepControl)
                .withDType(model.isLogNorm() ? precision.float64Only(LOGNORM_FLOAT64) : precision.dtype());
        if (model.isLogNorm()) {
            setup = setup.withLogNorm(model.logNormSpec(setup.train()), stabilisation(setup.seed()));
        } else if (stabilize != null) {
            throw new NeuralOdeException("--stabilize needs --arch lognorm (the dense block tanh(Az + b) of stability.md §5)");
        }
        ClassifierRun.run(setup, new OutputDir(out), System.out);
        return 0;
    }

    /** The schedule of --stabilize, or null without it. */
    private StabilisedTraining.Settings stabilisation(long seed) {
        if (stabilize == null) {
            return null;
        }
        Schedule schedule = switch (stabilize.toLowerCase(Locale.ROOT)) {
            case "post" -> Schedule.POST_HOC;
            case "interleaved" -> Schedule.INTERLEAVED;
            default -> throw new NeuralOdeException("--stabilize " + stabilize + " is unknown: use post or interleaved");
        };
        if (stabilizeEvery < 1) {
            throw new NeuralOdeException("--stabilize-every must be >= 1 (got " + stabilizeEvery + ")");
        }
        return new StabilisedTraining.Settings(schedule, stab.fineTune(), stabilizeEvery,
                stab.options(seed));
    }

    /** Epochs, batch, learning rate, seed, threads, progress. */
    public static final class TrainingOptions {
        /** Most data-parallel shards (each is a thread). */
        static final int MAX_THREADS = 256;

        @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
        public int epochs = 20;

        @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
        public int batch = 256;

        @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
        public double lr = 1e-2;

        @Option(names = "--seed", description = "Seed for weights and batch order (default ${DEFAULT-VALUE}).")
        public long seed = 0;

        @Option(names = "--threads", description = "Threads (default ${DEFAULT-VALUE}): each batch is split into this"
                + " many data-parallel shards, each solved with its own step control.")
        public int threads = 1;

        @Option(names = "--no-progress", description = "No progress bar (it is also off when output is not a terminal).")
        public boolean noProgress;

        ClassifierRun.Setup setup(DataOptions data, ModelOptions model, SolverOptions solver) {
            if (model.isLogNorm() && solver.solver.equalsIgnoreCase("dopri5")) {
                // the architecture's solver (stability.md §5): classical RK4 with --steps steps
                solver.solver = "rk4";
            }
            check(solver);
            LabelledSet[] sets = data.load(seed);
            String name = data.dataset != null ? data.dataset : data.csv.toString();
            ClassLabels labels = data.csv == null ? ClassLabels.of("--dataset " + name, sets)
                    : ClassLabels.of("--csv " + data.csv + ", label column \"" + data.label.trim() + "\",", sets);
            String where = data.csv == null ? "--dataset " + name : "--csv " + data.csv;
            LabelledSet train = labels.encode(sets[0], where);
            LabelledSet test = labels.encode(sets[1], where);
            ClassifierSpec fromData = model.spec(train);
            // The classes are those of the whole file: a class that landed only in the test split still gets an output.
            ClassifierSpec spec = new ClassifierSpec(fromData.inputDim(), fromData.augment(), fromData.width(),
                    fromData.depth(), fromData.activation(), fromData.timeInput(), labels.size());
            ModelSize.check("--width/--depth/--augment", spec);
            ModelData recorded = new ModelData(data.csv == null ? name : data.csv.toAbsolutePath().normalize().toString(),
                    data.csv == null, data.featureNames(),
                    data.csv == null ? null : data.label.trim(), seed, data.testFraction, labels);
            return new ClassifierRun.Setup(name, train, test, spec, solver, epochs, batch, lr, seed,
                    threads, !noProgress).withData(recorded);
        }

        /** One-line errors for bad training or solver options, before any data is read. */
        private void check(SolverOptions solver) {
            if (epochs < 1) {
                throw new NeuralOdeException("--epochs must be >= 1 (got " + epochs + ")");
            }
            if (batch < 1) {
                throw new NeuralOdeException("--batch must be >= 1 (got " + batch + ")");
            }
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new NeuralOdeException("--lr must be a positive number (got " + lr + ")");
            }
            if (threads < 1) {
                throw new NeuralOdeException("--threads must be >= 1 (got " + threads + ")");
            }
            if (threads > MAX_THREADS) {
                throw new NeuralOdeException("--threads must be at most " + MAX_THREADS + " (got " + threads + ")");
            }
            solver.config();
            solver.method();
        }

        /**
         * The setup of {@code --arch lognorm} on images: the images flattened to rows of pixels/255 (float64), the
         * training defaults of stability.md §5 ({@link LogNormImages}) for options the user did not give, RK4.
         */
        ClassifierRun.Setup logNormImageSetup(DataOptions data, SolverOptions solver,
                                              org.neuralode4j.cli.options.RegOptions regs, ParseResult given) {
            epochs = given.hasMatchedOption("--epochs") ? epochs : org.neuralode4j.cli.run.LogNormImages.EPOCHS;
            batch = given.hasMatchedOption("--batch") ? batch : org.neuralode4j.cli.run.LogNormImages.BATCH;
            lr = given.hasMatchedOption("--lr") ? lr : org.neuralode4j.cli.run.LogNormImages.LR;
            if (solver.solver.equalsIgnoreCase("dopri5")) {
                solver.solver = "rk4";
            }
            check(solver);
            org.neuralode4j.data.ImageSet[] sets = data.loadImages(seed);
            String name = org.neuralode4j.data.ImageDatasets.canonical(data.dataset);
            return new ClassifierRun.Setup(name, org.neuralode4j.cli.run.LogNormImages.flatten(sets[0]),
                    org.neuralode4j.cli.run.LogNormImages.flatten(sets[1]), null, solver, epochs, batch, lr, seed,
                    threads, !noProgress, regs.regularisers(), regs.inStepControl,
                    org.neuralode4j.cli.run.LogNormImages.recorded(name, sets[0], seed), null, null,
                    org.neuralode4j.tensor.DType.F64);
        }

        /**
         * The setup of an image run. Options the user did not give take the image defaults: the epochs, batch,
         * learning rate and threads of {@link ImageDefaults}; options of the 2-D models are refused.
         */
        ImageClassifierRun.Setup imageSetup(DataOptions data, ModelOptions model, ImageModelOptions imageModel,
                                            SolverOptions solver, org.neuralode4j.cli.options.RegOptions regs,
                                            ParseResult given) {
            for (String o : new String[] {"--augment", "--width", "--depth", "--activation"}) {
                if (given.hasMatchedOption(o)) {
                    throw new NeuralOdeException(o + " applies to 2-D and CSV models; image models take --channels, --head"
                            + " and --time");
                }
            }
            if (!given.hasMatchedOption("--epochs")) {
                epochs = ImageDefaults.EPOCHS;
            }
            if (!given.hasMatchedOption("--batch")) {
                batch = ImageDefaults.BATCH;
            }
            if (!given.hasMatchedOption("--lr")) {
                lr = ImageDefaults.LR;
            }
            if (!given.hasMatchedOption("--threads")) {
                threads = ImageDefaults.threads();
            }
            check(solver);
            org.neuralode4j.data.ImageSet[] sets = data.loadImages(seed);
            return new ImageClassifierRun.Setup(org.neuralode4j.data.ImageDatasets.canonical(data.dataset), sets[0], sets[1],
                    imageModel.spec(sets[0], model.time), solver, epochs, batch, lr, seed, threads, !noProgress,
                    regs.regularisers(), regs.inStepControl, org.neuralode4j.cli.options.PrecisionOption.DEFAULT);
        }
    }
}
