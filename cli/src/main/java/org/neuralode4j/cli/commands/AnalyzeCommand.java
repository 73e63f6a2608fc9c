package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.Attacks;
import org.neuralode4j.analysis.Conditioning;
import org.neuralode4j.analysis.ConditioningStats;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Margin;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.analysis.verdict.FiniteValues;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.HeldOut;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.analysis.Expansion;
import org.neuralode4j.analysis.ExpansionStats;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code analyze --model DIR}: what a trained model's flow looks like (evaluation.md): conditioning of ∂f/∂z along
 * test trajectories (κ, ‖J‖_F, μ₂), test NFE, FGSM and PGD accuracy at a list of ε, and margins. Writes
 * {@code analysis.json} into the model folder (or --out).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Conditioning, robustness (FGSM/PGD) and margins of a trained model.")
public final class AnalyzeCommand implements Callable<Integer> {
    /** Most time points of the conditioning grid (each is a Jacobian per point). */
    static final int MAX_GRID = 1001;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train run.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--eps", split = ",", description = "Attack radii (L-infinity) (default ${DEFAULT-VALUE}; images:"
            + " 0,0.01,0.02,0.05,0.1,0.2 in pixel units).")
    double[] eps = {0.05, 0.1, 0.2};

    @Option(names = "--points", description = "Test points analysed (default ${DEFAULT-VALUE}).")
    int points = 256;

    @Option(names = "--grid", description = "Time points for the conditioning statistics (default ${DEFAULT-VALUE}).")
    int grid = 11;

    @Option(names = "--delta", description = "Log-norm target: report the fraction of mu2 values above delta + tau (default ${DEFAULT-VALUE}).")
    double delta = 0.0;

    @Option(names = "--tau", description = "Tolerance added to --delta (default ${DEFAULT-VALUE}).")
    double tau = 1e-3;

    @Option(names = "--out", paramLabel = "DIR", description = "Where analysis.json goes (default: the model folder).")
    Path out;

    @Override
    public Integer call() {
        if (!Double.isFinite(delta) || !(tau >= 0)) {
            throw new NeuralOdeException("--delta must be finite and --tau >= 0 (got " + delta + ", " + tau + ")");
        }
        if (points < 1 || grid < 2 || grid > MAX_GRID) {
            throw new NeuralOdeException("--points must be >= 1 and --grid from 2 to " + MAX_GRID + " (got " + points + ", " + grid + ")");
        }
        for (double e : eps) {
            if (!(e >= 0) || Double.isInfinite(e)) {
                throw new NeuralOdeException("--eps values must be >= 0 (got " + e + ")");
            }
        }
        if (org.neuralode4j.cli.run.ConvModelFiles.isConv(model)) {
            boolean givenEps = spec.commandLine().getParseResult().hasMatchedOption("--eps");
            org.neuralode4j.cli.run.ImageAnalysis.analyze(model, data,
                    givenEps ? eps : org.neuralode4j.cli.run.ImageAnalysis.IMAGE_EPS, points, out, System.out);
            return 0;
        }
        ModelFiles.Loaded loaded = ModelFiles.load(model);
        // A log-norm model trained on images is analysed on its own image set, attacked in the pixel box [0, 1].
        org.neuralode4j.analysis.Attacks.Box box = org.neuralode4j.cli.run.LogNormImages.box(loaded.data());
        if (data.dataset == null && data.csv == null && box == null) {
            throw new NeuralOdeException("give --dataset NAME or --csv FILE: the data to analyse the model on");
        }
        if (box != null && !spec.commandLine().getParseResult().hasMatchedOption("--eps")) {
            eps = org.neuralode4j.cli.run.ImageAnalysis.IMAGE_EPS;
        }
        NodeClassifier m = loaded.model();
        if (m instanceof AugmentedNodeClassifier a) {
            // The analyses (eigen/SVD of Jacobians, attacks, margins) run in float64 whatever the training precision.
            a.to(org.neuralode4j.tensor.DType.F64);
        }
        SolverConfig solver = loaded.solver().config();
        LabelledSet test = HeldOut.testSet(loaded, data, spec.commandLine().getParseResult().hasMatchedOption("--test-fraction"),
                System.err);
        int n = Math.min(points, test.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        LabelledSet some = test.rows(idx);
        Function<Tensor, Tensor> logits = x -> m.logits(m.flow(x, solver, new Direct()));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.toString());
        report.put("points", n);
        ClassifierTrainer.Evaluation ev = ClassifierTrainer.evaluate(m, test, solver);
        report.put("test_accuracy", ev.accuracy());
        report.put("test_nfe", ev.nfe());
        ConditioningStats c = Conditioning.along(m.dynamics(), m.initialState(some.x()).detach(), 0, 1, grid, solver);
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("kappa_mean", c.kappaMean());
        cond.put("kappa_median", c.kappaMedian());
        cond.put("kappa_p90", c.kappaP90());
        cond.put("kappa_max", c.kappaMax());
        cond.put("log10_kappa_mean", c.log10KappaMean());
        cond.put("frobenius_mean", c.frobeniusMean());
        cond.put("mu2_mean", c.mu2Mean());
        cond.put("mu2_median", c.mu2Median());
        cond.put("mu2_p90", c.mu2P90());
        cond.put("mu2_max", c.mu2Max());
        cond.put("mu2_positive_fraction", c.mu2PositiveFraction());
        report.put("conditioning", cond);
        // evaluation.md §1.5 and stability.md §4.3: expansion of the ODE block and mu2 against a target delta + tau
        ExpansionStats ex = Expansion.along(m.dynamics(), m.initialState(some.x()).detach(), 0, 1, grid, solver, 0.1, 9);
        Map<String, Object> exp = new LinkedHashMap<>();
        exp.put("delta", delta);
        exp.put("tau", tau);
        exp.put("mu2_fraction_above_delta_plus_tau", ex.mu2FractionAbove(delta + tau));
        exp.put("expansion_ratio", org.neuralode4j.cli.stability.ModelMeasure.summary(ex.ratioSummary()));
        exp.put("local_expansion", org.neuralode4j.cli.stability.ModelMeasure.summary(ex.localSummary()));
        exp.put("log_norm_bound", org.neuralode4j.cli.stability.ModelMeasure.summary(ex.boundSummary()));
        exp.put("local_above_bound_fraction", ex.localAboveBoundFraction());
        report.put("expansion", exp);
        report.put("eps", eps);
        report.put("clean_accuracy", Attacks.accuracy(logits, some.x(), some.labels()));
        report.put("fgsm_accuracy", Fgsm.accuracy(logits, some.x(), some.labels(), eps, box));
        report.put("pgd_accuracy", Pgd.accuracy(logits, some.x(), some.labels(), eps, Rng.seeded(7), box));
        // evaluation.md §3.3: images in [0, 1] take its defaults (ε_max 0.5, 10 bisections, S 50); other
        // high-dimensional features, unbounded, a wider bracket with fewer PGD steps.
        boolean pixels = box != null;
        double epsMax = pixels ? Margin.IMAGE_EPS_MAX : 1.0;
        int bisections = pixels ? Margin.IMAGE_BISECTIONS : 12;
        int steps = pixels ? Margin.IMAGE_PGD_STEPS : 20;
        double[] margins = m.inputDim() == 2
                ? Margin.directional2d(logits, some.x(), some.labels(), 64, 4.0, 1e-3)
                : Margin.pgdBisection(logits, some.x(), some.labels(), epsMax, bisections,
                        org.neuralode4j.analysis.Pgd.Settings.DEFAULT.withSteps(steps)
                                .withLoss(org.neuralode4j.analysis.AttackLoss.MARGIN), Rng.seeded(8), box);
        report.put("margin_method", m.inputDim() == 2 ? "directional search (64 directions)"
                : "PGD bisection (L∞, ε_max " + epsMax + ", " + bisections + " bisections, " + steps + " PGD steps)");
        report.put("margin_mean_finite", FiniteValues.mean(margins));
        report.put("margin_median", median(margins));

        OutputDir dir = new OutputDir(out != null ? out : model);
        dir.writeJson("analysis.json", report);
        System.out.printf("test accuracy %.4f, test NFE %d%n", ev.accuracy(), ev.nfe());
        System.out.printf("kappa mean %.3g, median %.3g, p90 %.3g, max %.3g; mean |J|_F %.3g; mu2 mean %.3g, max %.3g%n",
                c.kappaMean(), c.kappaMedian(), c.kappaP90(), c.kappaMax(), c.frobeniusMean(), c.mu2Mean(), c.mu2Max());
        System.out.printf("mu2 median %.3g, p90 %.3g, fraction > delta + tau (%.3g) %.3f; expansion ratio median %.3g,"
                + " max %.3g; local expansion median %.3g (log-norm bound median %.3g)%n", c.mu2Median(), c.mu2P90(),
                delta + tau, ex.mu2FractionAbove(delta + tau), ex.ratioSummary().median(), ex.ratioSummary().max(),
                ex.localSummary().median(), ex.boundSummary().median());
        double[] fg = (double[]) report.get("fgsm_accuracy");
        double[] pg = (double[]) report.get("pgd_accuracy");
        for (int i = 0; i < eps.length; i++) {
            System.out.printf("eps %.3g: FGSM accuracy %.4f, PGD accuracy %.4f%n", eps[i], fg[i], pg[i]);
        }
        System.out.printf("margin: mean %.4g, median %.4g (%s)%n", (Double) report.get("margin_mean_finite"),
                (Double) report.get("margin_median"), report.get("margin_method"));
        System.out.println("wrote " + dir.path("analysis.json"));
        return 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
