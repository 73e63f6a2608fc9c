package org.neuralode4j.cli.studies;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.Conditioning;
import org.neuralode4j.analysis.ConditioningStats;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Margin;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.ConditionNumber;
import org.neuralode4j.regularize.JacobianFrobeniusExact;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.TrainConfig;

/**
 * {@code study conditioning}: a CPU-scaled test of Josias &amp; Brink (2022), "Jacobian Norm Regularisation and
 * Conditioning in Neural ODEs" (claims.md §1): W1's model on disk-annulus, moons σ = 0.2 and 2spirals, arms none /
 * exact Frobenius / condition number at three strengths, several seeds; per run test accuracy and NFE, median
 * log10 κ along test trajectories, PGD-20 accuracy and mean margin; one verdict per claim (evaluation.md §4.4).
 */
public final class ConditioningStudy {
    /** Sizes of one study: the quick mode shrinks data, epochs and analysis, never the design. */
    public record Plan(int trainSize, int testSize, int batch, int epochs, int spiralEpochs, int seeds, double[] lambdas,
                       double[] eps, int analysisPoints, int marginDirections, boolean quick) {
        /** A quarter of the data in batches of 64: W1's 160 iterations on disk-annulus, in a few minutes. */
        public static Plan quickPlan() {
            return new Plan(512, 512, 64, 20, 50, 3, new double[] {0.01, 0.1, 1}, new double[] {0.1, 0.2}, 64, 16, true);
        }

        public static Plan fullPlan() {
            return new Plan(2048, 2048, 256, 20, 100, 3, new double[] {0.01, 0.1, 1}, new double[] {0.05, 0.1, 0.2}, 256, 64, false);
        }
    }

    /** One arm: its name and regularisers. */
    record Arm(String name, String family, double lambda, List<Regulariser> regs) {}

    /** Per-run measurements. */
    record RunResult(String task, String arm, int seed, double testAccuracy, double trainAccuracy, long testNfe,
                     double trainNfe, double log10KappaMedian, double frobeniusMean, double[] fgsmAccuracy,
                     double[] pgdAccuracy, double meanMargin, double trainSeconds, double seconds,
                     double[] log10Kappa) {}

    private static final String[] TASKS = {"disk-annulus", "moons", "2spirals"};

    private ConditioningStudy() {}

    static List<Arm> arms(Plan plan) {
        List<Arm> arms = new ArrayList<>();
        arms.add(new Arm("none", "none", 0, List.of()));
        for (double l : plan.lambdas()) {
            arms.add(new Arm("frobenius λ=" + l, "frobenius", l, List.of(new JacobianFrobeniusExact(l, Regulariser.Normalisation.SUM))));
        }
        for (double l : plan.lambdas()) {
            arms.add(new Arm("condition λ=" + l, "condition", l, List.of(new ConditionNumber(l, ConditionNumber.Phi.LOG))));
        }
        return arms;
    }

    static LabelledSet[] data(String task, Plan plan) {
        Map<String, Double> opts = task.equals("moons") ? Map.of("noise", 0.2) : Map.of();
        return new LabelledSet[] {Toys2d.labelled(task, plan.trainSize(), 0, opts), Toys2d.labelled(task, plan.testSize(), 1, opts)};
    }

    /** Runs every (task, arm, seed) on {@code threads} threads and writes the report into {@code out}. */
    public static Map<String, Object> run(Plan plan, OutputDir out, int threads, PrintStream log) {
        long start = System.nanoTime();
        List<Arm> arms = arms(plan);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "study");
            t.setDaemon(true);
            return t;
        });
        List<Future<RunResult>> futures = new ArrayList<>();
        for (String task : TASKS) {
            LabelledSet[] sets = data(task, plan);
            for (Arm arm : arms) {
                for (int s = 0; s < plan.seeds(); s++) {
                    int seed = s;
                    futures.add(pool.submit(() -> runOne(task, arm, seed, sets, plan)));
                }
            }
        }
        List<RunResult> results = new ArrayList<>();
        try {
            int done = 0;
            for (Future<RunResult> f : futures) {
                results.add(f.get());
                done++;
                log.printf("\rruns %d/%d", done, futures.size());
            }
            log.println();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("study interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof NeuralOdeException ? (NeuralOdeException) c : new NeuralOdeException("study run failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> report = StudyReport.conditioning(plan, arms, TASKS, results, (System.nanoTime() - start) / 1e9);
        out.writeJson("results.json", report);
        plots(out, plan, results);
        out.write("report.md", ((String) report.get("markdown")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return report;
    }

    static RunResult runOne(String task, Arm arm, int seed, LabelledSet[] sets, Plan plan) {
        long t0 = System.nanoTime();
        SolverOptions so = new SolverOptions();
        SolverConfig solver = so.config();
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(seed));
        int epochs = task.equals("2spirals") ? plan.spiralEpochs() : plan.epochs();
        TrainConfig cfg = new TrainConfig(epochs, plan.batch(), 1e-2, seed, solver, new Direct(), arm.regs(), false);
        long tTrain = System.nanoTime();
        var history = ClassifierTrainer.train(model, sets[0], cfg, null, null);
        double trainSeconds = (System.nanoTime() - tTrain) / 1e9;
        double trainNfe = history.get(history.size() - 1).meanNfeForward();
        ClassifierTrainer.Evaluation test = ClassifierTrainer.evaluate(model, sets[1], solver);
        ClassifierTrainer.Evaluation train = ClassifierTrainer.evaluate(model, sets[0], solver);
        int n = Math.min(plan.analysisPoints(), sets[1].size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        LabelledSet some = sets[1].rows(idx);
        ConditioningStats c = Conditioning.along(model.dynamics(), model.augment(some.x()), 0, 1, 11, solver);
        Function<Tensor, Tensor> logits = x -> model.logits(model.flow(x, solver, new Direct()));
        double[] fgsm = Fgsm.accuracy(logits, some.x(), some.labels(), plan.eps(), null);
        double[] pgd = Pgd.accuracy(logits, some.x(), some.labels(), plan.eps(), Rng.seeded(1000 + seed), null);
        double[] margins = Margin.directional2d(logits, some.x(), some.labels(), plan.marginDirections(), 3.0, 1e-3);
        double sum = 0;
        int count = 0;
        for (double m : margins) {
            if (m > 0 && Double.isFinite(m)) {
                sum += m;
                count++;
            }
        }
        return new RunResult(task, arm.name(), seed, test.accuracy(), train.accuracy(), test.nfe(), trainNfe,
                c.log10KappaMedian(), c.frobeniusMean(), fgsm, pgd, count == 0 ? Double.NaN : sum / count, trainSeconds,
                (System.nanoTime() - t0) / 1e9, log10(c.kappa()));
    }

    private static double[] log10(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.log10(v[i]);
        }
        return r;
    }

    private static void plots(OutputDir out, Plan plan, List<RunResult> results) {
        try {
            for (String metric : new String[] {"nfe", "accuracy", "kappa"}) {
                Map<String, double[]> series = new LinkedHashMap<>();
                for (String task : TASKS) {
                    for (String family : new String[] {"frobenius", "condition"}) {
                        double[] ys = new double[plan.lambdas().length + 1];
                        ys[0] = mean(results, task, "none", metric);
                        for (int i = 0; i < plan.lambdas().length; i++) {
                            ys[i + 1] = mean(results, task, family + " λ=" + plan.lambdas()[i], metric);
                        }
                        series.put(task + " / " + family, ys);
                    }
                }
                String y = metric.equals("nfe") ? "test NFE" : metric.equals("accuracy") ? "test accuracy" : "median log10 κ";
                Plots.curve(out.path(metric + "_vs_lambda.png"), y + " vs λ (x: 1 = none, then λ = "
                        + java.util.Arrays.toString(plan.lambdas()) + ")", "arm", y, series);
            }
            List<Arm> arms = arms(plan);
            for (String task : TASKS) {
                Map<String, double[][]> cdf = new LinkedHashMap<>();
                Map<String, double[][]> robust = new LinkedHashMap<>();
                List<double[]> kappas = arms.stream().map(a -> pooled(results, task, a.name())).toList();
                double[] grid = commonGrid(kappas, 200);
                for (int a = 0; a < arms.size(); a++) {
                    cdf.put(arms.get(a).name(), empiricalCdf(kappas.get(a), grid));
                    robust.put(arms.get(a).name(), robustCurve(results, task, arms.get(a).name(), plan.eps()));
                }
                Plots.lines(out.path("kappa_cdf_" + task + ".png"), task + ": distribution of log10 κ(J) along test"
                        + " trajectories", "log10 κ", "fraction of (point, time) pairs ≤ x", cdf, false,
                        new double[] {0, 1});
                Plots.lines(out.path("robust_accuracy_" + task + ".png"), task + ": PGD-20 accuracy vs ε (L∞)",
                        "ε", "accuracy (mean over seeds)", robust, false,
                        new double[] {0, 1});
            }
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write the study plots: " + e.getMessage());
        }
    }

    /** log10 κ of every (point, time) pair of every seed of one (task, arm). */
    static double[] pooled(List<RunResult> rs, String task, String arm) {
        return rs.stream().filter(r -> r.task().equals(task) && r.arm().equals(arm))
                .flatMapToDouble(r -> java.util.Arrays.stream(r.log10Kappa())).toArray();
    }

    /**
     * The empirical distribution function of {@code values} at each point of {@code grid}, as {grid, F}. Sampled on
     * a grid rather than drawn through every step: XChart labels every distinct y of an equally spaced set.
     */
    static double[][] empiricalCdf(double[] values, double[] grid) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        double[] y = new double[grid.length];
        int below = 0;
        for (int i = 0; i < grid.length; i++) {
            while (below < v.length && v[below] <= grid[i]) {
                below++;
            }
            y[i] = v.length == 0 ? Double.NaN : (double) below / v.length;
        }
        return new double[][] {grid.clone(), y};
    }

    /** {@code points} equally spaced values over the finite range of all of {@code sets}. */
    static double[] commonGrid(List<double[]> sets, int points) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] set : sets) {
            for (double v : set) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo < hi)) {
            return Double.isFinite(lo) ? new double[] {lo - 0.5, lo + 0.5} : new double[] {0, 1};
        }
        lo = Math.floor(lo * 10) / 10; // round outwards to tenths, so the axis' tick values are short
        hi = Math.ceil(hi * 10) / 10;
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = lo + (hi - lo) * i / (points - 1);
        }
        return g;
    }

    /** {ε, accuracy}: clean test accuracy at ε = 0, then mean PGD accuracy over seeds at each ε. */
    static double[][] robustCurve(List<RunResult> rs, String task, String arm, double[] eps) {
        double[] x = new double[eps.length + 1];
        double[] y = new double[eps.length + 1];
        y[0] = mean(rs, task, arm, "accuracy");
        for (int e = 0; e < eps.length; e++) {
            int ei = e;
            x[e + 1] = eps[e];
            y[e + 1] = java.util.Arrays.stream(values(rs, task, arm, r -> r.pgdAccuracy()[ei])).average().orElse(Double.NaN);
        }
        return new double[][] {x, y};
    }

    static double mean(List<RunResult> rs, String task, String arm, String metric) {
        double s = 0;
        int n = 0;
        for (RunResult r : rs) {
            if (r.task().equals(task) && r.arm().equals(arm)) {
                s += metric.equals("nfe") ? r.testNfe() : metric.equals("accuracy") ? r.testAccuracy() : r.log10KappaMedian();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Per-seed values of a metric for one (task, arm), seeds in order. */
    static double[] values(List<RunResult> rs, String task, String arm, Function<RunResult, Double> metric) {
        return rs.stream().filter(r -> r.task().equals(task) && r.arm().equals(arm))
                .sorted((a, b) -> Integer.compare(a.seed(), b.seed())).mapToDouble(metric::apply).toArray();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
