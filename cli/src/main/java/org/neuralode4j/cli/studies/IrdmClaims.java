package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.IrdmStudy.errKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.analysis.verdict.Direction;
import org.neuralode4j.analysis.verdict.Floors;
import org.neuralode4j.analysis.verdict.Gate;
import org.neuralode4j.analysis.verdict.GatedVerdict;
import org.neuralode4j.analysis.verdict.Outcome;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.analysis.verdict.Scale;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.analysis.verdict.VerdictRule;

/** The IRDM study's claims I1–I5 (claims.md §3) with the rules of claims.md §0 and §0.1, fixed before the data. */
final class IrdmClaims {
    /** I3: the error at n = 10 may be at most this many times the error at n = 16 and the adjoint's. */
    static final double I3_FACTOR = 2.0;

    private IrdmClaims() {}

    static List<Claim> all(Plan plan) {
        String[] tasks = IrdmStudy.trainTasks(plan);
        Gate converged = convergence(plan);
        return List.of(
                new Claim("I1", "Interpolating stored forward values, instead of solving z backwards, trains faster"
                        + " than the reverse dynamic (adjoint) method.", "total training time in CPU seconds of the training"
                        + " thread (single-threaded runs), IRDM vs backsolve adjoint (log10); wall seconds, backward NFE"
                        + " per iteration and CPU ms per NFE reported",
                        "directional \"lowers\" (floor 10 %), per task; aggregated over tasks; runs timed one at a time",
                        true, rs -> i1(rs, tasks)),
                new Claim("I2", "The faster training keeps final quality, for classification and density estimation.",
                        "test NLL (density toys) or test accuracy (disk-annulus), IRDM vs backsolve adjoint",
                        "non-inferiority per task (NLL Δ = 0.05 nats, accuracy Δ = 0.01); aggregated over tasks; gate:"
                                + " the spec's " + IrdmStudy.SPEC_ITERATIONS + " CNF iterations", false,
                        rs -> i2(rs, tasks, converged)),
                new Claim("I3", "A few interpolation nodes give gradients about as accurate as the adjoint's.",
                        "relative error of ∂L/∂θ against DIRECT at 1e-10, matched Lobatto nodes, per configuration"
                                + " (problem × stage × tolerance); per seed the ratios err(n=10)/err(n=16) and"
                                + " err(n=10)/err(adjoint)", "check-rule, compound per configuration: both ratios ≤ "
                                + I3_FACTOR + "; SUPPORTED if every configuration is supported, NOT SUPPORTED if a"
                                + " majority is not supported, else inconclusive", false, rs -> i3(plan, rs)),
                new Claim("I4", "The logarithmic-norm argument: where the dynamics contract, interpolation errors are"
                        + " damped, while the backsolve's reconstruction of z is amplified.", "gradient error on a"
                        + " contracting field, IRDM vs adjoint", "directional \"lowers\", compound over 1e-3 and 1e-5",
                        false, rs -> notTested("the contracting field (tanh MLP − 6z) is not in this plan")),
                new Claim("I5", "The speed-up extends to inference approximation (VAEs with flows).", "—",
                        "NOT TESTED: outside the CPU-scaled study", false,
                        rs -> notTested("no VAE in the CPU-scaled study (claims.md §3)")));
    }

    static ClaimResult notTested(String why) {
        return new ClaimResult(GatedVerdict.of(Verdict.NOT_TESTED, List.of()), List.of(why));
    }

    /** The gate of I2 (final quality of converged models): every CNF task trained for the spec's iterations. */
    static Gate convergence(Plan plan) {
        int least = plan.runs().stream().filter(r -> r.text("family").equals("train")
                && !r.task().equals(IrdmStudy.W1_TASK)).mapToInt(r -> r.integer("iterations")).min().orElse(0);
        return new Gate("convergence", least >= IrdmStudy.SPEC_ITERATIONS, "convergence: CNF tasks trained for "
                + least + " iterations (claims.md: " + IrdmStudy.SPEC_ITERATIONS + ")");
    }

    static Outcome missing(String why) {
        return new Outcome(Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, -1,
                List.of(), why);
    }

    static ClaimResult i1(Results rs, String[] tasks) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        String key = IrdmStudy.TRAIN_CPU;
        for (String task : tasks) {
            PairedComparison pc = rs.pair(task, "adjoint", "interpolated", key, Scale.LOG10);
            Outcome o = pc == null ? missing("no pair of finished runs")
                    : VerdictRule.directional(pc, Direction.LOWERS, Floors.WALL_TIME_FLOOR);
            per.put(task, o.verdict());
            StringBuilder why = new StringBuilder();
            for (String m : List.of("interpolated", "adjoint")) {
                double secs = Results.mean(rs.values(task, m, key));
                double wall = Results.mean(rs.values(task, m, Measurements.TIMING + "train"));
                double nfe = Results.mean(rs.values(task, m, "nfe.train.total"));
                why.append("; ").append(m).append(": ").append(Markdown.fmt(secs)).append(" CPU s (wall ")
                        .append(Markdown.fmt(wall)).append(" s), backward NFE/iteration ")
                        .append(Markdown.meanSd(rs.values(task, m, "nfe.train.backward"))).append(", forward ")
                        .append(Markdown.meanSd(rs.values(task, m, "nfe.train.forward"))).append(", CPU ms per NFE ")
                        .append(Markdown.fmt(1e3 * secs / nfe));
            }
            ev.add(task + ": " + o.explanation() + why);
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of()), ev);
    }

    static ClaimResult i2(Results rs, String[] tasks, Gate converged) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            boolean classifier = task.equals(IrdmStudy.W1_TASK);
            String key = classifier ? "acc.test" : "nll";
            PairedComparison pc = rs.pair(task, "adjoint", "interpolated", key, Scale.LINEAR);
            Outcome o = pc == null ? missing("no pair of finished runs") : VerdictRule.nonInferiority(pc, classifier,
                    classifier ? Floors.ACCURACY_DELTA : Floors.NLL_DELTA);
            per.put(task, o.verdict());
            ev.add(task + " (" + key + " interpolated " + Markdown.meanSd(rs.values(task, "interpolated", key))
                    + ", adjoint " + Markdown.meanSd(rs.values(task, "adjoint", key)) + "): " + o.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of(converged)), ev);
    }

    /** The I3 configurations present in the plan: (task, gradient arm). */
    static List<String[]> gradientConfigs(Plan plan) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Run r : plan.runs()) {
            if (r.text("family").equals("gradient")) {
                out.putIfAbsent(r.task() + "|" + r.arm(), new String[] {r.task(), r.arm()});
            }
        }
        return List.copyOf(out.values());
    }

    static ClaimResult i3(Plan plan, Results rs) {
        int supported = 0;
        int notSupported = 0;
        int configs = 0;
        List<String> ev = new ArrayList<>();
        for (String[] c : gradientConfigs(plan)) {
            for (double tol : IrdmStudy.TOLERANCES) {
                configs++;
                double[] vs16 = ratio(rs, c[0], c[1], errKey(tol, "matched", 10), errKey(tol, "matched", 16));
                double[] vsAdj = ratio(rs, c[0], c[1], errKey(tol, "matched", 10), errKey(tol, "adjoint", 0));
                Outcome o = vs16.length == 0 || vsAdj.length == 0 ? missing("no finished run")
                        : VerdictRule.compound(VerdictRule.checkRule(vs16, Scale.LOG10, I3_FACTOR, false),
                        VerdictRule.checkRule(vsAdj, Scale.LOG10, I3_FACTOR, false));
                if (o.verdict() == Verdict.SUPPORTED) {
                    supported++;
                } else if (o.verdict() == Verdict.NOT_SUPPORTED) {
                    notSupported++;
                }
                ev.add(c[0] + ", " + c[1] + ", tol " + IrdmStudy.tolLabel(tol) + " (error n=10 " + Markdown.meanSd(
                        rs.values(c[0], c[1], errKey(tol, "matched", 10))) + ", n=16 " + Markdown.meanSd(rs.values(c[0],
                        c[1], errKey(tol, "matched", 16))) + ", adjoint " + Markdown.meanSd(rs.values(c[0], c[1],
                        errKey(tol, "adjoint", 0))) + "): " + o.explanation());
            }
        }
        Verdict v = configs == 0 ? Verdict.NOT_TESTED : supported == configs ? Verdict.SUPPORTED
                : notSupported * 2 > configs ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
        ev.add(supported + " of " + configs + " configurations supported, " + notSupported + " not supported");
        return new ClaimResult(GatedVerdict.of(v, List.of()), ev);
    }

    /** Per seed a/b of two errors of one run, over the seeds where both are finite and positive. */
    static double[] ratio(Results rs, String task, String arm, String a, String b) {
        return rs.of(task, arm).stream().mapToDouble(r -> r.scalar(a) / r.scalar(b))
                .filter(x -> Double.isFinite(x) && x > 0).toArray();
    }
}
