package org.neuralode4j.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.DensityDataOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.DensityEvaluation;
import org.neuralode4j.cnf.ToyDensities;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.DensityIteration;
import org.neuralode4j.train.DensityTrainConfig;
import org.neuralode4j.train.DensityTrainer;

/**
 * One density-estimation run as {@code density train} does it (cnf.md §1–§5): maximum-likelihood training of a
 * continuous normalising flow with {@link DensityTrainer}, a checkpoint every {@code evalEvery} iterations (held-out
 * NLL, model, metrics and pictures, each file written atomically, so an interrupted run keeps its last complete
 * checkpoint), then the final evaluation and report.
 *
 * <p>Seeds: model weights {@code seed}; training batches {@code seed}; built-in held-out points {@code seed + 1}
 * (W2's convention); Hutchinson probes {@code seed + 200}; evaluation probes {@code seed + 300}; base draws of the
 * sample figure {@code seed + 400}.
 */
public final class DensityRun {
    /** Chunk size of held-out and grid evaluations (cnf.md §5.2: at most 10,000 rows per solve). */
    static final int CHUNK = 10_000;
    /** Time points per block of the trajectory figure (cnf.md §5.5: K = 21). */
    static final int TRAJECTORY_POINTS = 21;
    /** Data points drawn as trajectories. */
    static final int TRAJECTORY_PATHS = 150;

    private DensityRun() {}

    /**
     * Everything a run needs.
     *
     * @param data          the training stream and held-out set
     * @param spec          the architecture
     * @param solve         the training pass (solver, gradient method, divergence, RNODE channels)
     * @param evalSolver    the solver of held-out NLL, grids, samples and trajectories
     * @param iterations    optimiser steps
     * @param batch         rows per batch
     * @param lr            peak Adam learning rate
     * @param weightDecay   Adam weight decay
     * @param warmup        linear warm-up iterations (0 = none)
     * @param cosine        cosine decay of the learning rate to 0 over the run
     * @param seed          the run's seed
     * @param evalEvery     iterations between checkpoints
     * @param gridPoints    points per side of the density grid
     * @param samplePoints  data points and model samples in samples.png
     * @param progress      progress bar when on a terminal
     * @param settings      the command-line settings, recorded in metrics.json
     */
    public record Setup(DensityDataOptions.Loaded data, CnfSpec spec, CnfSolve solve, SolverConfig evalSolver,
                        int iterations, int batch, double lr, double weightDecay, int warmup, boolean cosine, long seed,
                        int evalEvery, int gridPoints, int samplePoints, boolean progress, Map<String, Object> settings,
                        org.neuralode4j.tensor.DType dtype) {
        /** In the default precision ({@link org.neuralode4j.cli.options.PrecisionOption#DEFAULT}). */
        public Setup(DensityDataOptions.Loaded data, CnfSpec spec, CnfSolve solve, SolverConfig evalSolver,
                     int iterations, int batch, double lr, double weightDecay, int warmup, boolean cosine, long seed,
                     int evalEvery, int gridPoints, int samplePoints, boolean progress, Map<String, Object> settings) {
            this(data, spec, solve, evalSolver, iterations, batch, lr, weightDecay, warmup, cosine, seed, evalEvery,
                    gridPoints, samplePoints, progress, settings, org.neuralode4j.cli.options.PrecisionOption.DEFAULT);
        }
    }

    /** The learning rate of iteration {@code it} (1-based): peak × warm-up × cosine decay. */
    static double learningRate(Setup s, int it) {
        double warm = s.warmup() > 0 ? Math.min((double) it / s.warmup(), 1.0) : 1.0;
        double decay = s.cosine() ? 0.5 * (1 + Math.cos(Math.PI * (it - 1) / s.iterations())) : 1.0;
        return s.lr() * warm * decay;
    }

    /** Trains, checkpoints and reports into {@code out}; returns the metrics map (also in metrics.json). */
    public static Map<String, Object> run(Setup s, OutputDir out, PrintStream log) {
        long started = System.nanoTime();
        ContinuousFlow flow = ContinuousFlow.build(s.spec(), Rng.seeded(s.seed()));
        flow.to(s.dtype());
        FlowFiles.DataInfo info = new FlowFiles.DataInfo(s.data().name(), s.data().builtIn(), s.data().columns(), s.seed(),
                s.data().holdout());
        Tensor heldOut = s.data().heldOut();
        boolean eightGaussians = s.data().builtIn() && s.data().name().equals("8gaussians");
        double[] trueLogp = eightGaussians ? ToyDensities.eightGaussians(heldOut) : null;
        Double trueNll = trueLogp == null ? null : -mean(trueLogp);

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("status", "running");
        metrics.put("dataset", s.data().name());
        metrics.put("dim", s.data().dim());
        metrics.put("train_rows", s.data().trainRows() < 0 ? "fresh batch every iteration" : s.data().trainRows());
        metrics.put("held_out_points", heldOut.dim(0));
        if (trueNll != null) {
            metrics.put("true_nll", trueNll);
        }
        metrics.put("parameters", FlowFiles.countParameters(flow));
        metrics.put("settings", s.settings());
        List<Map<String, Object>> iterations = new ArrayList<>();
        List<Map<String, Object>> evaluations = new ArrayList<>();
        metrics.put("iterations", iterations);
        metrics.put("evaluations", evaluations);
        metrics.put("checkpoint_iteration", 0);

        DensityProgress progress = new DensityProgress(s.progress(), s.iterations(), log);
        Checkpoint cp = new Checkpoint(s, out, flow, info, metrics, evaluations, iterations, heldOut, trueLogp, progress);
        List<DensityIteration> history = new ArrayList<>();
        Map<String, Object> fin;
        try {
            cp.evaluate(0);
            Adam adam = new Adam(learningRate(s, 1), Adam.Config.DEFAULT.withWeightDecay(s.weightDecay()));
            DensityTrainConfig cfg = new DensityTrainConfig(s.iterations(), s.batch(), s.lr(), s.weightDecay(), 0, s.seed(),
                    s.solve());
            DensityTrainer.train(flow, s.data().stream(), cfg, adam, m -> {
                history.add(m);
                iterations.add(iterationEntry(m, adam.learningRate(), s.spec().endTime().learned()));
                progress.iteration(m);
                if (m.iteration() < s.iterations()) {
                    adam.setLearningRate(learningRate(s, m.iteration() + 1));
                    if (m.iteration() % s.evalEvery() == 0) {
                        cp.evaluate(m.iteration());
                    }
                }
            });
            progress.close();
            fin = cp.evaluate(s.iterations());
        } catch (NeuralOdeException e) {
            progress.close();
            metrics.put("status", "stopped");
            metrics.put("error", e.getMessage());
            out.writeJson("metrics.json", metrics);
            String hint = e.getMessage().contains("--lr") ? "" : " (try a lower --lr, --warmup N, or other --rtol/--atol)";
            throw new NeuralOdeException(e.getMessage() + hint + (cp.last < 0 ? "" : "; the outputs of iteration " + cp.last
                    + " are kept in " + out.dir()));
        }

        // The final evaluation (above) and the summary.
        double[] secs = history.stream().mapToDouble(DensityIteration::seconds).sorted().toArray();
        fin.put("median_seconds_per_iteration", median(secs));
        fin.put("training_seconds", Arrays.stream(secs).sum());
        double[] cpu = history.stream().mapToDouble(DensityIteration::cpuSeconds).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (cpu.length > 0) {
            fin.put("median_cpu_seconds_per_iteration", median(cpu));
        }
        int last = Math.min(50, history.size());
        fin.put("nfe_forward_mean_last_50", history.subList(history.size() - last, history.size()).stream()
                .mapToLong(DensityIteration::nfeForward).average().orElse(Double.NaN));
        fin.put("nfe_backward_mean_last_50", history.subList(history.size() - last, history.size()).stream()
                .mapToLong(DensityIteration::nfeBackward).average().orElse(Double.NaN));
        fin.put("train_nll_mean_last_50", history.subList(history.size() - last, history.size()).stream()
                .mapToDouble(DensityIteration::nll).average().orElse(Double.NaN));
        fin.put("end_times", flow.endTimes());
        fin.put("wall_seconds", (System.nanoTime() - started) / 1e9);
        metrics.put("final", fin);
        metrics.put("status", "complete");
        out.writeJson("metrics.json", metrics);

        log.printf(Locale.ROOT, "held-out NLL %.4f ± %.4f nats on %d points (eval NFE %d)%s; median %.3f s/iteration, %.0f s in all%n",
                (Double) fin.get("nll"), (Double) fin.get("nll_se"), heldOut.dim(0), (Long) fin.get("nfe"),
                trueNll == null ? "" : String.format(Locale.ROOT, "; true mixture NLL %.4f, gap %.4f ± %.4f", trueNll,
                        (Double) fin.get("gap"), (Double) fin.get("gap_se")),
                (Double) fin.get("median_seconds_per_iteration"), (Double) fin.get("wall_seconds"));
        if (fin.get("median_cpu_seconds_per_iteration") != null) {
            log.printf(Locale.ROOT, "median CPU time %.3f s/iteration (the figure to compare on a shared machine)%n",
                    (Double) fin.get("median_cpu_seconds_per_iteration"));
        }
        if (fin.get("density_warning") != null) {
            log.println("warning: " + fin.get("density_warning"));
        }
        log.println("report: " + out.dir());
        return metrics;
    }

    private static Map<String, Object> iterationEntry(DensityIteration m, double lr, boolean learnedT) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("iteration", m.iteration());
        e.put("nll", m.nll());
        e.put("loss", m.loss());
        e.put("kinetic", Double.isNaN(m.kinetic()) ? null : m.kinetic());
        e.put("jacobian", Double.isNaN(m.jacobian()) ? null : m.jacobian());
        e.put("nfe_forward", m.nfeForward());
        e.put("nfe_backward", m.nfeBackward());
        e.put("seconds", m.seconds());
        e.put("cpu_seconds", Double.isNaN(m.cpuSeconds()) ? null : m.cpuSeconds());
        e.put("lr", lr);
        if (learnedT) {
            e.put("end_times", m.endTimes());
        }
        return e;
    }

    /** Median of sorted values. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Held-out evaluation plus model, pictures and metrics, written in that order. */
    private static final class Checkpoint {
        final Setup s;
        final OutputDir out;
        final ContinuousFlow flow;
        final FlowFiles.DataInfo info;
        final Map<String, Object> metrics;
        final List<Map<String, Object>> evaluations;
        final List<Map<String, Object>> iterations;
        final Tensor heldOut;
        final double[] trueLogp;
        final DensityProgress progress;
        int last = -1;

        Checkpoint(Setup s, OutputDir out, ContinuousFlow flow, FlowFiles.DataInfo info, Map<String, Object> metrics,
                   List<Map<String, Object>> evaluations, List<Map<String, Object>> iterations, Tensor heldOut,
                   double[] trueLogp, DensityProgress progress) {
            this.s = s;
            this.out = out;
            this.flow = flow;
            this.info = info;
            this.metrics = metrics;
            this.evaluations = evaluations;
            this.iterations = iterations;
            this.heldOut = heldOut;
            this.trueLogp = trueLogp;
            this.progress = progress;
        }

        /** Evaluates, saves and draws; returns the evaluation entry. */
        Map<String, Object> evaluate(int iteration) {
            long t0 = System.nanoTime();
            DensityEvaluation ev;
            try {
                ev = flow.evaluate(heldOut, s.evalSolver(), Rng.seeded(s.seed() + 300), CHUNK);
            } catch (NeuralOdeException x) {
                throw new NeuralOdeException("the held-out evaluation after iteration " + iteration + " failed: "
                        + x.getMessage());
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("iteration", iteration);
            e.put("nll", ev.meanNll());
            e.put("nll_se", ev.standardError());
            e.put("nfe", ev.nfe());
            e.put("points", heldOut.dim(0));
            e.put("estimator", ev.estimator());
            e.put("transport_cost", ev.transportCost());
            if (trueLogp != null) {
                double trueNll = -mean(trueLogp);
                e.put("true_nll", trueNll);
                e.put("gap", ev.meanNll() - trueNll);
                e.put("gap_se", pairedSe(ev.logDensities(), trueLogp));
            }
            e.put("seconds", (System.nanoTime() - t0) / 1e9);
            evaluations.add(e);
            FlowFiles.save(out, flow, s.evalSolver(), info);
            DensityPlots.Result pics = DensityPlots.write(out, flow, s, iterations, evaluations, trueLogp != null);
            if (pics.mass() != null) {
                e.put("density_mass", pics.mass());
            }
            if (pics.warning() != null) {
                e.put("density_warning", pics.warning());
            }
            metrics.put("checkpoint_iteration", iteration);
            out.writeJson("metrics.json", metrics);
            last = iteration;
            progress.checkpoint(iteration, e);
            return e;
        }
    }

    /** Standard error of the mean of (−log p_model) − (−log p_true) over the same points (paired). */
    public static double pairedSe(double[] model, double[] truth) {
        int n = model.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = truth[i] - model[i];
        }
        double m = mean(d);
        double ss = 0;
        for (double v : d) {
            ss += (v - m) * (v - m);
        }
        return n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
    }

    /** Wraps an IOException from a figure as a one-line user error. */
    static void draw(String name, DensityPlots.Drawing d) {
        try {
            d.run();
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + name + ": " + e.getMessage());
        }
    }
}
