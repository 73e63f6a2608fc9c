package org.neuralode4j.cli.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.CnfOptions;
import org.neuralode4j.cli.options.Counts;
import org.neuralode4j.cli.options.DensityDataOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.DensityRun;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.ode.SolverConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code density train}: maximum-likelihood training of a continuous normalising flow, with report in --out. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a continuous normalising flow (FFJORD) on a built-in 2-D density or your CSV points.",
            "Writes metrics.json, the model (model.json + model.params) and samples.png, density.png, trajectories.png,"
                + " nll.png, nfe.png to --out, refreshed at every --eval-every checkpoint (atomic writes: an interrupted"
                + " run keeps its last checkpoint)."})
public final class DensityTrainCommand implements Callable<Integer> {
    @Mixin
    DensityDataOptions data = new DensityDataOptions();

    @Mixin
    CnfOptions cnf = new CnfOptions();

    @Option(names = "--iterations", description = "Optimiser steps, one fresh batch each (default ${DEFAULT-VALUE}).")
    int iterations = 400;

    @Option(names = "--batch", description = "Points per batch (default ${DEFAULT-VALUE}, as W2).")
    int batch = 512;

    @Option(names = "--lr", description = "Peak Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = 5e-3;

    @Option(names = "--lr-schedule", description = "constant, or cosine (decay to 0 over the run) (default ${DEFAULT-VALUE}).")
    String lrSchedule = "constant";

    @Option(names = "--warmup", paramLabel = "N", description = "Linear learning-rate warm-up over the first N iterations"
            + " (default ${DEFAULT-VALUE}; RNODE uses 1000).")
    int warmup = 0;

    @Option(names = "--weight-decay", description = "Adam weight decay (default ${DEFAULT-VALUE}; FFJORD's toys use 1e-5).")
    double weightDecay = 0;

    @Option(names = "--seed", description = "Seed of weights, batches and held-out split (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--eval-every", paramLabel = "N", description = "Held-out NLL, model and pictures every N iterations"
            + " (default ${DEFAULT-VALUE}).")
    int evalEvery = 100;

    @Option(names = "--grid", paramLabel = "N", description = "Points per side of the density.png grid (default ${DEFAULT-VALUE}).")
    int grid = 100;

    @Option(names = "--sample-points", paramLabel = "N", description = "Model samples (and data points) in samples.png"
            + " (default ${DEFAULT-VALUE}).")
    int samplePoints = 2000;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar (it is also off when output is not a terminal).")
    boolean noProgress;

    @Override
    public Integer call() {
        DensityRun.Setup setup = setup(System.out);
        DensityRun.run(setup, new OutputDir(out), System.out);
        return 0;
    }

    /** Checks every option and loads the data before anything is written. */
    DensityRun.Setup setup(PrintStream log) {
        if (iterations < 1) {
            throw new NeuralOdeException("--iterations must be >= 1 (got " + iterations + ")");
        }
        Counts.check("--batch", batch, 1, Counts.MAX_POINTS);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new NeuralOdeException("--lr must be a positive number (got " + lr + ")");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new NeuralOdeException("--weight-decay must be a number >= 0 (got " + weightDecay + ")");
        }
        if (warmup < 0) {
            throw new NeuralOdeException("--warmup must be >= 0 (got " + warmup + ")");
        }
        boolean cosine = switch (lrSchedule.toLowerCase(Locale.ROOT)) {
            case "cosine" -> true;
            case "constant" -> false;
            default -> throw new NeuralOdeException("--lr-schedule " + lrSchedule + " is unknown: use constant or cosine");
        };
        if (evalEvery < 1) {
            throw new NeuralOdeException("--eval-every must be >= 1 (got " + evalEvery + ")");
        }
        Counts.check("--grid", grid, 2, 2000);
        Counts.check("--sample-points", samplePoints, 1, Counts.MAX_POINTS);
        CnfSolve solve = cnf.trainingSolve();
        SolverConfig evalSolver = cnf.evaluationSolver();
        DensityDataOptions.Loaded d = data.load(seed);
        CnfSpec spec = cnf.spec(d.dim());
        int b = batch;
        if (d.trainRows() >= 0 && batch > d.trainRows()) {
            log.printf("note: --batch %d is more than the %d training rows; using batches of %d%n", batch, d.trainRows(),
                    d.trainRows());
            b = d.trainRows();
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("iterations", iterations);
        settings.put("batch", b);
        settings.put("lr", lr);
        settings.put("lr_schedule", cosine ? "cosine" : "constant");
        settings.put("warmup", warmup);
        settings.put("weight_decay", weightDecay);
        settings.put("seed", seed);
        settings.put("hidden", spec.hidden());
        settings.put("activation", cnf.activation);
        settings.put("blocks", spec.blocks());
        settings.put("end_time", cnf.endTime);
        settings.put("learn_end_time", cnf.learnEndTime);
        settings.put("divergence", solve.divergence().resolve(d.dim()).label());
        settings.put("kinetic", cnf.kinetic);
        settings.put("jacobian", cnf.jacobian);
        settings.put("reg_in_step_control", cnf.regInStepControl);
        settings.put("method", cnf.method);
        settings.put("steps", cnf.steps);
        settings.put("rtol", cnf.rtol);
        settings.put("atol", cnf.atol);
        settings.put("eval_tol", cnf.evalTol);
        settings.put("max_steps", cnf.maxSteps);
        settings.put("gradient", cnf.gradient);
        settings.put("eval_every", evalEvery);
        if (d.columns() != null) {
            settings.put("columns", d.columns());
        }
        if (!d.builtIn()) {
            settings.put("holdout", data.holdout);
        }
        return new DensityRun.Setup(d, spec, solve, evalSolver, iterations, b, lr, weightDecay, warmup, cosine, seed, evalEvery,
                grid, samplePoints, !noProgress, settings);
    }
}
