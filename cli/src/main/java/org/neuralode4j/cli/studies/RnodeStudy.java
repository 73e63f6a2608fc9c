package org.neuralode4j.cli.studies;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.DensityEvaluation;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk438;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchStream;
import org.neuralode4j.train.DensityIteration;
import org.neuralode4j.train.DensityTrainConfig;
import org.neuralode4j.train.DensityTrainer;
import org.neuralode4j.train.TrainingException;

/**
 * {@code study rnode}: a CPU-scaled test of Finlay, Jacobsen, Nurbekyan &amp; Oberman (2020), "How to train your
 * neural ODE: the world of Jacobian and kinetic regularization" (claims.md §2, R1–R6). Density estimation on 2-D
 * toys with a CNF (ConcatSquash 2→64→64→64→2, tanh, T = 1, exact trace), RNODE's channels (per-dimension means,
 * out of step control), dopri5 at 1e-5 and BACKSOLVE_ADJOINT.
 *
 * <p>Two phases: the λ sweep (λ_K = λ_J = λ), from which each task's "R1 λ" is chosen; then, at that λ, the
 * ablation (kinetic only, Jacobian only) and fixed-grid training (RK4, 3/8 rule, 4 steps) at λ = 0 and at R1's λ.
 */
public final class RnodeStudy {
    /**
     * Sizes of one study. The full plan cuts claims.md's 3000 iterations at lr 1e-3 to 150 at lr 1e-2 so that the
     * flows get far enough (on 8gaussians NLL 2.90 after 250 iterations, with forward NFE growing from 20 to 60–80,
     * against 3.5 and about 38 at lr 1e-3) within the CPU budget; the report says so.
     */
    public record Plan(String[] tasks, double[] lambdas, int iterations, int batch, double lr, int seeds, int evalPoints,
                       int checkEvery, int checkPoints, int samplePoints, boolean quick) {
        public static Plan quickPlan() {
            return new Plan(new String[] {"8gaussians", "pinwheel"}, new double[] {0, 0.1}, 30, 128, 1e-2, 1, 1000, 10,
                    500, 500, true);
        }

        public static Plan fullPlan() {
            return new Plan(new String[] {"8gaussians", "pinwheel", "checkerboard", "2spirals"},
                    new double[] {0, 0.01, 0.1, 1}, 150, 256, 1e-2, 3, 5000, 15, 1000, 2000, false);
        }
    }

    /** How one run is trained: channel weights and the training solver. */
    record Arm(String name, String family, double lambda, double kineticWeight, double jacobianWeight, boolean rk4) {
        static Arm sweep(double l) {
            return new Arm(sweepName(l), "sweep", l, l, l, false);
        }

        static String sweepName(double l) {
            return "λ=" + java.math.BigDecimal.valueOf(l).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * Per-run measurements.
     *
     * @param nll             NLL of the evaluation set (dopri5 at 1e-5, exact trace)
     * @param nllTrainSolver  for RK4-trained runs, NLL under the training solver (RK4, 4 steps); else NaN
     * @param evalNfe         NFE of the evaluation solve at 1e-5 (one batch)
     * @param evalNfeLoose    NFE at 1e-3
     * @param trainNfeForward mean forward NFE per iteration over the last 10 % of iterations
     * @param trainNfeBackward the same for the backward pass
     * @param rho             forward NFE over the last 10 % of iterations ÷ over the first 10 %
     * @param checkTimes      cumulative training seconds at each check (every checkEvery iterations)
     * @param checkNll        NLL of the fixed check set at those points
     * @param nfeCurve        forward NFE per iteration
     * @param samples         model samples (first seed of sweep runs; else empty)
     */
    record RunResult(String task, String arm, int seed, double nll, double nllSe, double nllTrainSolver, long evalNfe,
                     long evalNfeLoose, double trainNfeForward, double trainNfeBackward, double rho, double trainSeconds,
                     double transportCost, double kinetic, double jacobian, double[] checkTimes, double[] checkNll,
                     double[] nfeCurve, double[][] samples, boolean diverged, String failure) {}

    static final SolverConfig EVAL = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-5, 1e-5));
    static final SolverConfig EVAL_LOOSE = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));
    static final SolverConfig RK4 = SolverConfig.fixed(Rk438.TABLEAU, FixedSteps.ofCount(4));

    private RnodeStudy() {}

    /** Runs both phases on {@code threads} threads and writes report.md, results.json and the plots into {@code out}. */
    public static Map<String, Object> run(Plan plan, OutputDir out, int threads, PrintStream log) {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "study");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Arm> sweep = new ArrayList<>();
            for (double l : plan.lambdas()) {
                sweep.add(Arm.sweep(l));
            }
            List<Callable<RunResult>> phase1 = new ArrayList<>();
            for (String task : plan.tasks()) {
                for (Arm arm : sweep) {
                    for (int s = 0; s < plan.seeds(); s++) {
                        int seed = s;
                        phase1.add(() -> runOne(task, arm, seed, plan, seed == 0));
                    }
                }
            }
            List<RunResult> results = new ArrayList<>(runAll(pool, phase1, "sweep", log));
            Map<String, Double> chosen = new LinkedHashMap<>();
            List<Callable<RunResult>> phase2 = new ArrayList<>();
            for (String task : plan.tasks()) {
                double l = RnodeReport.r1Lambda(plan, results, task);
                chosen.put(task, l);
                for (Arm arm : phase2Arms(l)) {
                    for (int s = 0; s < plan.seeds(); s++) {
                        int seed = s;
                        phase2.add(() -> runOne(task, arm, seed, plan, false));
                    }
                }
            }
            results.addAll(runAll(pool, phase2, "ablation and RK4", log));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> report = RnodeReport.build(plan, chosen, results, seconds);
            out.writeJson("results.json", report);
            plots(out, plan, chosen, results);
            out.write("report.md", ((String) report.get("markdown")).getBytes(StandardCharsets.UTF_8));
            return report;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Phase 2 at R1's λ: kinetic only, Jacobian only, and RK4 training at λ = 0 and at λ. */
    static List<Arm> phase2Arms(double l) {
        return List.of(new Arm("kinetic only", "ablation", l, l, 0, false),
                new Arm("jacobian only", "ablation", l, 0, l, false),
                new Arm("rk4 λ=0", "rk4", 0, 0, 0, true),
                new Arm("rk4 R1 λ", "rk4", l, l, l, true));
    }

    private static List<RunResult> runAll(ExecutorService pool, List<Callable<RunResult>> jobs, String phase, PrintStream log) {
        List<Future<RunResult>> futures = new ArrayList<>();
        for (Callable<RunResult> j : jobs) {
            futures.add(pool.submit(j));
        }
        List<RunResult> out = new ArrayList<>();
        try {
            for (Future<RunResult> f : futures) {
                out.add(f.get());
                log.printf("\r%s runs %d/%d", phase, out.size(), futures.size());
            }
            log.println();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("study interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof NeuralOdeException ? (NeuralOdeException) c : new NeuralOdeException("study run failed: " + c, c);
        }
        return out;
    }

    /** Trains one (task, arm, seed) and evaluates it; a diverged training run is recorded, not fatal. */
    static RunResult runOne(String task, Arm arm, int seed, Plan plan, boolean withSamples) {
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.rnode2d(), Rng.seeded(seed));
        RnodeChannels channels = arm.kineticWeight() == 0 && arm.jacobianWeight() == 0 ? RnodeChannels.none()
                : RnodeChannels.rnode().withWeights(arm.kineticWeight(), arm.jacobianWeight());
        CnfSolve solve = new CnfSolve(arm.rk4() ? RK4 : EVAL, BacksolveAdjoint.torchdiffeqCompatible(), Divergence.exact(),
                channels, false);
        DensityTrainConfig cfg = new DensityTrainConfig(plan.iterations(), plan.batch(), plan.lr(), 0, 0, seed, solve);
        Tensor check = Toys2d.sample(task, plan.checkPoints(), seed + 2);
        List<Double> checkTimes = new ArrayList<>();
        List<Double> checkNll = new ArrayList<>();
        double[] clock = {0};
        List<DensityIteration> history = new ArrayList<>();
        boolean diverged = false;
        String failure = "";
        try {
            DensityTrainer.train(flow, BatchStream.toy(task, seed), cfg, m -> {
                history.add(m);
                clock[0] += m.seconds();
                // Only R2 reads the checks, and it compares sweep runs; off the clock, so skipping them elsewhere
                // changes no measurement.
                boolean due = m.iteration() % plan.checkEvery() == 0 || m.iteration() == plan.iterations();
                if (due && arm.family().equals("sweep")) {
                    // Off the clock (claims.md R2): the check solves are not counted in the training time.
                    checkTimes.add(clock[0]);
                    checkNll.add(flow.evaluate(check, EVAL, Rng.seeded(7)).meanNll());
                }
            });
        } catch (TrainingException | org.neuralode4j.ode.SolveException e) {
            diverged = true;
            failure = e.getMessage();
        }
        Tensor evalSet = Toys2d.sample(task, plan.evalPoints(), seed + 1);
        DensityEvaluation ev = diverged ? null : safeEvaluate(flow, evalSet, EVAL);
        DensityEvaluation loose = diverged ? null : safeEvaluate(flow, evalSet, EVAL_LOOSE);
        DensityEvaluation own = arm.rk4() && !diverged ? safeEvaluate(flow, evalSet, RK4) : null;
        if (ev == null && !diverged) {
            diverged = true;
            failure = "the evaluation solve failed";
        }
        double[][] samples = new double[0][];
        if (withSamples && ev != null) {
            samples = Plots.rows(flow.sample(plan.samplePoints(), Rng.seeded(seed + 3), EVAL, false).x());
        }
        int n = history.size();
        int tenth = Math.max(1, n / 10);
        double first = 0;
        double last = 0;
        double lastB = 0;
        double kin = 0;
        double jac = 0;
        double secs = 0;
        double[] curve = new double[n];
        for (int i = 0; i < n; i++) {
            DensityIteration m = history.get(i);
            curve[i] = m.nfeForward();
            secs += m.seconds();
            if (i < tenth) {
                first += m.nfeForward();
            }
            if (i >= n - tenth) {
                last += m.nfeForward();
                lastB += m.nfeBackward();
                kin += m.kinetic();
                jac += m.jacobian();
            }
        }
        return new RunResult(task, arm.name(), seed, ev == null ? Double.NaN : ev.meanNll(),
                ev == null ? Double.NaN : ev.standardError(), own == null ? Double.NaN : own.meanNll(),
                ev == null ? -1 : ev.nfe(), loose == null ? -1 : loose.nfe(), n == 0 ? Double.NaN : last / tenth,
                n == 0 ? Double.NaN : lastB / tenth, n == 0 ? Double.NaN : (last / tenth) / (first / tenth), secs,
                ev == null ? Double.NaN : ev.transportCost(), n == 0 ? Double.NaN : kin / tenth,
                n == 0 ? Double.NaN : jac / tenth, toArray(checkTimes), toArray(checkNll), curve, samples, diverged, failure);
    }

    private static DensityEvaluation safeEvaluate(ContinuousFlow flow, Tensor x, SolverConfig solver) {
        try {
            return flow.evaluate(x, solver, Rng.seeded(9));
        } catch (org.neuralode4j.ode.SolveException e) {
            return null;
        }
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void plots(OutputDir out, Plan plan, Map<String, Double> chosen, List<RunResult> results) {
        try {
            for (String task : plan.tasks()) {
                Map<String, double[]> nfe = new LinkedHashMap<>();
                for (String arm : RnodeReport.armNames(plan)) {
                    double[] mean = meanCurve(results, task, arm);
                    if (mean.length > 0) {
                        nfe.put(arm, smooth(mean, Math.max(1, plan.iterations() / 25)));
                    }
                }
                Plots.curve(out.path("nfe_training_" + task + ".png"), task + ": forward NFE per iteration (mean over seeds,"
                        + " moving average)", "iteration", "forward NFE", nfe);
                Map<String, double[][]> frontier = new LinkedHashMap<>();
                double[] xs = new double[plan.lambdas().length];
                double[] ys = new double[plan.lambdas().length];
                for (int i = 0; i < plan.lambdas().length; i++) {
                    String arm = Arm.sweepName(plan.lambdas()[i]);
                    xs[i] = mean(RnodeReport.values(results, task, arm, r -> (double) r.evalNfe()));
                    ys[i] = mean(RnodeReport.values(results, task, arm, RunResult::nll));
                }
                frontier.put("λ sweep " + Arrays.toString(plan.lambdas()), new double[][] {xs, ys});
                Plots.lines(out.path("nll_vs_nfe_" + task + ".png"), task + ": evaluation NLL against evaluation NFE"
                        + " (dopri5 1e-5)", "evaluation NFE", "NLL (nats)", frontier, false);
                Map<String, double[][]> sets = new LinkedHashMap<>();
                sets.put("data", Plots.rows(Toys2d.sample(task, plan.samplePoints(), 10_000)));
                for (String arm : new String[] {Arm.sweepName(0), Arm.sweepName(chosen.get(task))}) {
                    for (RunResult r : results) {
                        if (r.task().equals(task) && r.arm().equals(arm) && r.samples().length > 0 && !sets.containsKey(arm)) {
                            sets.put("samples " + arm, r.samples());
                        }
                    }
                }
                Plots.scatter(out.path("samples_" + task + ".png"), task + ": data and model samples (seed 0)", sets);
            }
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write the study plots: " + e.getMessage());
        }
    }

    /** Mean over seeds of the per-iteration forward NFE (runs of equal length; diverged ones are cut short). */
    static double[] meanCurve(List<RunResult> rs, String task, String arm) {
        int len = Integer.MAX_VALUE;
        List<double[]> curves = new ArrayList<>();
        for (RunResult r : rs) {
            if (r.task().equals(task) && r.arm().equals(arm) && r.nfeCurve().length > 0) {
                curves.add(r.nfeCurve());
                len = Math.min(len, r.nfeCurve().length);
            }
        }
        if (curves.isEmpty()) {
            return new double[0];
        }
        double[] m = new double[len];
        for (double[] c : curves) {
            for (int i = 0; i < len; i++) {
                m[i] += c[i] / curves.size();
            }
        }
        return m;
    }

    /** Trailing moving average over {@code w} points. */
    static double[] smooth(double[] v, int w) {
        double[] out = new double[v.length];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            if (i >= w) {
                s -= v[i - w];
            }
            out[i] = s / Math.min(i + 1, w);
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
