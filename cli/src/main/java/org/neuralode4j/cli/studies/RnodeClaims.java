package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.RnodeStudy.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.analysis.verdict.Direction;
import org.neuralode4j.analysis.verdict.ExistsWithoutCost;
import org.neuralode4j.analysis.verdict.Floors;
import org.neuralode4j.analysis.verdict.Gate;
import org.neuralode4j.analysis.verdict.GatedVerdict;
import org.neuralode4j.analysis.verdict.Outcome;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.analysis.verdict.Scale;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.analysis.verdict.VerdictRule;

/** The RNODE study's claims R1–R6 (claims.md §2) with the revised rules of claims.md §0.1. */
final class RnodeClaims {
    /** Gate (b): an arm whose mean NLL is more than 0.5 nats above the unregularised arm's is collapsed. */
    static final double COLLAPSE_NATS = 0.5;

    private RnodeClaims() {}

    static List<Claim> all(Plan plan) {
        String[] tasks = RnodeStudy.tasks(plan);
        double[] lambdas = RnodeStudy.lambdas(plan);
        return List.of(
                new Claim("R1", "Kinetic + Jacobian regularisation leads to simpler dynamics that the adaptive solver"
                        + " integrates in fewer steps, at comparable likelihood.", "evaluation NFE at 1e-5 (log10) and"
                        + " NLL (nats), each λ > 0 vs λ = 0; the NLL-vs-NFE front and training NFE reported",
                        "per task: exists λ > 0 (m = " + (lambdas.length - 1) + ", Bonferroni on both parts) with NFE"
                                + " \"lowers\" and NLL non-inferior (Δ = 0.05 nats) at that same λ; not supported if"
                                + " every λ is confidently flat or costly; R1's λ = the passing λ with the lowest NFE;"
                                + " aggregated over tasks", false, rs -> r1(plan, rs, tasks, convergence(plan, rs))),
                new Claim("R2", "Regularised training converges faster in wall-clock time.", "training time (CPU seconds of"
                        + " the single training thread) to reach NLL(λ = 0)'s final check value + 0.05 on the check set,"
                        + " R1's λ vs λ = 0 (log10);"
                        + " NFE-to-target reported beside it", "directional \"lowers\" (floor 10 %), per task; premise"
                        + " not met where no λ passes R1 (inconclusive where R1 is); not supported where R1's λ misses the target in most seeds;"
                        + " runs timed one at a time", true, rs -> r2(plan, rs, tasks)),
                new Claim("R3", "There is no loss in performance at the paper's setting.", "final NLL at λ = 0.01 vs"
                        + " λ = 0 (nats)", "non-inferiority (Δ = 0.05 nats), per task; aggregated over tasks", false,
                        rs -> r3(rs, tasks, lambdas, convergence(plan, rs))),
                new Claim("R4", "Regularised dynamics can be trained with a cheap fixed-grid solver and evaluated"
                        + " faithfully by an adaptive one.", "gap = |NLL_dopri5 − NLL_RK4| of RK4-trained models (3/8"
                        + " rule, 4 steps) at λ = 0 and at R1's λ",
                        "premise not met if unregularised RK4 training does not fail (mean gap < 0.05 and no"
                                + " divergence) or no λ passes R1 (inconclusive where R1 is); else check-rules: regularised gap ≤ 0.05, its"
                                + " NLL_dopri5 within 0.1 of the adaptively trained model's, unregularised gap ≥ 2× the"
                                + " regularised; not supported if the regularised gap > 0.1 or no smaller", false,
                        rs -> r4(plan, rs, tasks)),
                new Claim("R5", "Both terms are needed: each alone simplifies the dynamics less than the two together.",
                        "evaluation NFE (log10) of both terms vs kinetic only and vs Jacobian only at R1's λ; NLL vs"
                                + " λ = 0", "compound per task: \"lowers\" vs each single term (floor 5 %) and NLL"
                                + " non-inferior (Δ = 0.05); premise not met where no λ passes R1 (inconclusive where R1"
                                + " is); aggregated over tasks",
                        false, rs -> r5(plan, rs, tasks, convergence(plan, rs))),
                new Claim("R6", "Without regularisation, the adaptive solver needs ever more steps as training goes on.",
                        "ρ = training forward NFE over the last 10 % of iterations ÷ over iterations 40–50 %",
                        "check-rule ρ(λ = 0) ≥ 1.5 and ρ(R1's λ) \"lowers\" vs ρ(λ = 0), per task: supported if both"
                                + " hold on a majority of tasks; not supported if ρ(λ = 0) ≤ 1.2 on a majority", false,
                        rs -> r6(plan, rs, tasks)),
                RnodeImageFlow.claim(plan));
    }

    /** Gate (a) for CNFs (claims.md §0.1): the unregularised NLL within this many nats of the true NLL. */
    static final double CONVERGED_NATS = 0.05;

    /**
     * The gate of rows about converged models (claims.md §0.1 gate (a)): at least two tasks converged, a task counting
     * as converged when it was trained for the spec's iteration count, or when its unregularised NLL is within 0.05
     * nats of the true NLL in every seed (only 8gaussians and checkerboard have a known true NLL, datasets.md §1).
     */
    static Gate convergence(Plan plan, Results rs) {
        Map<String, Integer> iterations = new LinkedHashMap<>();
        List<String> toys = List.of(RnodeStudy.tasks(plan));
        for (Run r : plan.runs()) {
            if (toys.contains(r.task())) {
                iterations.merge(r.task(), r.integer("iterations"), Math::min);
            }
        }
        List<String> why = new ArrayList<>();
        int converged = 0;
        for (Map.Entry<String, Integer> e : iterations.entrySet()) {
            String task = e.getKey();
            if (e.getValue() >= RnodeStudy.SPEC_ITERATIONS) {
                converged++;
                why.add(task + " trained for the spec's " + RnodeStudy.SPEC_ITERATIONS + " iterations");
                continue;
            }
            java.util.OptionalDouble truth = org.neuralode4j.cnf.ToyDensities.trueNll(task);
            if (truth.isEmpty()) {
                why.add(task + " " + e.getValue() + " iterations, true NLL unknown");
                continue;
            }
            double[] nll = rs.values(task, sweep(0), "nll");
            long within = java.util.Arrays.stream(nll).filter(x -> x <= truth.getAsDouble() + CONVERGED_NATS).count();
            boolean ok = nll.length > 0 && within == nll.length;
            converged += ok ? 1 : 0;
            why.add(task + " " + e.getValue() + " iterations, λ = 0 NLL within " + CONVERGED_NATS + " of the true "
                    + Markdown.fmt(truth.getAsDouble()) + " in " + within + " of " + nll.length + " seeds");
        }
        return new Gate("convergence", converged >= 2, "convergence: " + converged + " tasks converged (≥ 2 needed; "
                + String.join("; ", why) + ")");
    }

    static Outcome missing(String why) {
        return new Outcome(Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, -1,
                List.of(), why);
    }

    static ExistsWithoutCost.Result r1Result(Plan plan, Results rs, String task) {
        List<ExistsWithoutCost.Config> cs = new ArrayList<>();
        for (double l : RnodeStudy.lambdas(plan)) {
            if (l > 0) {
                cs.add(new ExistsWithoutCost.Config(sweep(l), rs.pair(task, sweep(0), sweep(l), "nfe.eval", Scale.LOG10),
                        rs.pair(task, sweep(0), sweep(l), "nll", Scale.LINEAR)));
            }
        }
        return ExistsWithoutCost.judge(cs, Direction.LOWERS, Floors.NFE_FLOOR, false, Floors.NLL_DELTA);
    }

    /** R1's λ for a task as its sweep arm's name, or null when no λ passes both parts (claims.md §0.1). */
    static String r1Lambda(Plan plan, Results rs, String task) {
        return r1Result(plan, rs, task).chosenLabel();
    }

    /**
     * R1's λ for the rows that use it: the arm, or why there is none. claims.md §0.1: when no λ passes, those rows
     * are "premise not met"; that is when R1 is not supported on the task (every λ confidently flat or costly).
     * When R1 is inconclusive (noise, or fewer than 3 seeds) R1's λ is undetermined and the rows are inconclusive.
     */
    record AtR1(String arm, Verdict without, String why) {}

    static AtR1 atR1(Plan plan, Results rs, String task) {
        ExistsWithoutCost.Result r = r1Result(plan, rs, task);
        if (r.chosenLabel() != null) {
            return new AtR1(r.chosenLabel(), null, "");
        }
        return r.verdict() == Verdict.NOT_SUPPORTED
                ? new AtR1(null, Verdict.PREMISE_NOT_MET, "premise not met (no λ passes R1)")
                : new AtR1(null, Verdict.INCONCLUSIVE, "inconclusive (R1 is inconclusive, so R1's λ is undetermined)");
    }

    static double lambdaOf(Results rs, String task, String arm) {
        return rs.of(task, arm).get(0).run().num("lambda");
    }

    static ClaimResult r1(Plan plan, Results rs, String[] tasks, Gate converged) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            ExistsWithoutCost.Result r = r1Result(plan, rs, task);
            per.put(task, r.verdict());
            List<String> collapsed = new ArrayList<>();
            for (double l : RnodeStudy.lambdas(plan)) {
                if (l > 0 && !Gate.collapse(sweep(l), rs.values(task, sweep(l), "nll"), rs.values(task, sweep(0), "nll"),
                        COLLAPSE_NATS, false).passed()) {
                    collapsed.add(sweep(l));
                }
            }
            ev.add(task + ": " + r.outcome().explanation() + "; R1's λ: " + (r.chosenLabel() == null ? "none"
                    : r.chosenLabel()) + "; collapsed (NLL > 0.5 nats above λ = 0): " + collapsed);
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of(converged)), ev);
    }

    /** Training seconds (or cumulative NFE) at the first check whose NLL is ≤ target; +∞ if none. */
    static double toTarget(RunResult r, String at, double target) {
        double[] nll = r.series("check.nll");
        double[] x = r.series(at);
        for (int i = 0; i < nll.length; i++) {
            if (nll[i] <= target) {
                return x[i];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    static ClaimResult r2(Plan plan, Results rs, String[] tasks) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            AtR1 r1 = atR1(plan, rs, task);
            String at = r1.arm();
            if (at == null) {
                per.put(task, r1.without());
                ev.add(task + ": " + r1.why());
                continue;
            }
            List<Double> base = new ArrayList<>();
            List<Double> treat = new ArrayList<>();
            List<Double> nfeBase = new ArrayList<>();
            List<Double> nfeTreat = new ArrayList<>();
            int unreached = 0;
            int seeds = 0;
            for (RunResult b : rs.of(task, sweep(0))) {
                RunResult t = rs.find(task, at, b.run().seed());
                double[] finalNll = b.series("check.nll");
                if (t == null || finalNll.length == 0) {
                    continue;
                }
                seeds++;
                double target = finalNll[finalNll.length - 1] + 0.05;
                double tt = toTarget(t, RnodeStudy.CHECK_CPU, target);
                if (!Double.isFinite(tt)) {
                    unreached++;
                    continue;
                }
                base.add(toTarget(b, RnodeStudy.CHECK_CPU, target));
                treat.add(tt);
                nfeBase.add(toTarget(b, "check.nfe", target));
                nfeTreat.add(toTarget(t, "check.nfe", target));
            }
            Outcome o;
            if (unreached * 2 > seeds) {
                Verdict v = seeds < VerdictRule.MIN_SEEDS ? Verdict.INCONCLUSIVE : Verdict.NOT_SUPPORTED;
                o = new Outcome(v, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, seeds, -1, List.of(),
                        at + " did not reach the target in " + unreached + " of " + seeds + " seeds: " + v.label());
            } else {
                o = base.isEmpty() ? missing("no seed reached the target") : VerdictRule.directional(PairedComparison.of(
                        toArray(base), toArray(treat), Scale.LOG10), Direction.LOWERS, Floors.WALL_TIME_FLOOR);
            }
            per.put(task, o.verdict());
            ev.add(task + " (" + at + " vs λ=0, CPU seconds to target; unreached seeds dropped: " + unreached + "): "
                    + o.explanation() + "; NFE to target (forward + backward) λ=0 " + Markdown.meanSd(toArray(nfeBase))
                    + ", " + at + " " + Markdown.meanSd(toArray(nfeTreat)));
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of()), ev);
    }

    static ClaimResult r3(Results rs, String[] tasks, double[] lambdas, Gate converged) {
        if (Arrays.stream(lambdas).noneMatch(l -> l == 0.01)) {
            return new ClaimResult(GatedVerdict.of(Verdict.NOT_TESTED, List.of()),
                    List.of("this plan's sweep has no λ = 0.01"));
        }
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            PairedComparison pc = rs.pair(task, sweep(0), sweep(0.01), "nll", Scale.LINEAR);
            Outcome o = pc == null ? missing("no pair of finished runs")
                    : VerdictRule.nonInferiority(pc, false, Floors.NLL_DELTA);
            per.put(task, o.verdict());
            ev.add(task + ": " + o.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of(converged)), ev);
    }

    static ClaimResult r4(Plan plan, Results rs, String[] tasks) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            double[] gapNone = gaps(rs, task, RnodeStudy.rk4(0));
            boolean divergedNone = Arrays.stream(gapNone).anyMatch(Double::isInfinite);
            double meanNone = Results.mean(gapNone);
            if (!divergedNone && meanNone < 0.05) {
                per.put(task, Verdict.PREMISE_NOT_MET);
                ev.add(task + ": premise not met: unregularised RK4 training does not fail (gap " + Markdown.meanSd(gapNone)
                        + " nats, no divergence)");
                continue;
            }
            AtR1 r1 = atR1(plan, rs, task);
            String at = r1.arm();
            if (at == null) {
                per.put(task, r1.without());
                ev.add(task + ": " + r1.why() + "; unregularised gap " + Markdown.meanSd(gapNone));
                continue;
            }
            double l = lambdaOf(rs, task, at);
            double[] gapReg = gaps(rs, task, RnodeStudy.rk4(l));
            double[] vsAdaptive = new double[gapReg.length];
            double[] ratio = new double[gapReg.length];
            List<RunResult> regRuns = rs.of(task, RnodeStudy.rk4(l));
            for (int s = 0; s < gapReg.length; s++) {
                RunResult reg = regRuns.get(s);
                RunResult adaptive = rs.find(task, at, reg.run().seed());
                vsAdaptive[s] = reg == null || adaptive == null ? Double.POSITIVE_INFINITY
                        : Math.abs(reg.scalar("nll") - adaptive.scalar("nll"));
                ratio[s] = s < gapNone.length ? gapNone[s] / Math.max(gapReg[s], 1e-12) : Double.NaN;
            }
            // A diverged run has an infinite gap; check rules need finite numbers, so it enters as 1e6 nats.
            Outcome all = VerdictRule.compound(VerdictRule.checkRule(capped(gapReg), Scale.LINEAR, 0.05, false),
                    VerdictRule.checkRule(capped(vsAdaptive), Scale.LINEAR, 0.1, false),
                    VerdictRule.checkRule(capped(ratio), Scale.LINEAR, 2.0, true));
            Verdict v = all.verdict();
            double meanReg = Results.mean(capped(gapReg));
            if (meanReg > 0.1 || !(meanReg < Results.mean(capped(gapNone)))) {
                v = rs.of(task, RnodeStudy.rk4(l)).size() < VerdictRule.MIN_SEEDS ? Verdict.INCONCLUSIVE
                        : Verdict.NOT_SUPPORTED;
            }
            per.put(task, v);
            ev.add(task + " (R1's λ " + Markdown.lambda(l) + "; gap regularised " + Markdown.meanSd(gapReg)
                    + ", unregularised " + Markdown.meanSd(gapNone) + " nats): " + v.label() + "; " + all.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of()), ev);
    }

    /** |NLL_dopri5 − NLL_RK4| per seed, +∞ for a diverged run. */
    static double[] gaps(Results rs, String task, String arm) {
        return rs.values(task, arm, r -> r.scalar("diverged") > 0 ? Double.POSITIVE_INFINITY
                : Math.abs(r.scalar("nll") - r.scalar("nll.train_solver")));
    }

    private static double[] capped(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isNaN(v[i]) ? 1e6 : Math.min(v[i], 1e6);
        }
        return out;
    }

    static ClaimResult r5(Plan plan, Results rs, String[] tasks, Gate converged) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            AtR1 r1 = atR1(plan, rs, task);
            String at = r1.arm();
            if (at == null) {
                per.put(task, r1.without());
                ev.add(task + ": " + r1.why());
                continue;
            }
            double l = lambdaOf(rs, task, at);
            Outcome vsK = directional(rs.pair(task, RnodeStudy.kineticOnly(l), at, "nfe.eval", Scale.LOG10));
            Outcome vsJ = directional(rs.pair(task, RnodeStudy.jacobianOnly(l), at, "nfe.eval", Scale.LOG10));
            PairedComparison nllPc = rs.pair(task, sweep(0), at, "nll", Scale.LINEAR);
            Outcome nll = nllPc == null ? missing("no pair of finished runs")
                    : VerdictRule.nonInferiority(nllPc, false, Floors.NLL_DELTA);
            Outcome all = VerdictRule.compound(vsK, vsJ, nll);
            per.put(task, all.verdict());
            ev.add(task + " (at " + at + "; transport cost kinetic only " + Markdown.meanSd(rs.values(task,
                    RnodeStudy.kineticOnly(l), "transport")) + ", both " + Markdown.meanSd(rs.values(task, at, "transport"))
                    + "; Jacobian integral Jacobian only " + Markdown.meanSd(rs.values(task, RnodeStudy.jacobianOnly(l),
                    "jacobian")) + ", both " + Markdown.meanSd(rs.values(task, at, "jacobian")) + "): " + all.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), List.of(converged)), ev);
    }

    private static Outcome directional(PairedComparison pc) {
        return pc == null ? missing("no pair of finished runs")
                : VerdictRule.directional(pc, Direction.LOWERS, Floors.NFE_FLOOR);
    }

    static ClaimResult r6(Plan plan, Results rs, String[] tasks) {
        int both = 0;
        int flat = 0;
        List<String> ev = new ArrayList<>();
        for (String task : tasks) {
            double[] rho0 = Arrays.stream(rs.values(task, sweep(0), "rho")).filter(Double::isFinite).toArray();
            Outcome grows = rho0.length == 0 ? missing("no finished λ = 0 run")
                    : VerdictRule.checkRule(rho0, Scale.LINEAR, 1.5, true);
            AtR1 r1 = atR1(plan, rs, task);
            String at = r1.arm();
            Outcome lower = at == null ? new Outcome(r1.without(), Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, 0, -1, List.of(), r1.why())
                    : directional(rs.pair(task, sweep(0), at, "rho", Scale.LOG10));
            Outcome all = VerdictRule.compound(grows, lower);
            if (all.verdict() == Verdict.SUPPORTED) {
                both++;
            }
            if (Results.mean(rho0) <= 1.2) {
                flat++;
            }
            ev.add(task + " (ρ(λ=0) " + Markdown.meanSd(rho0) + (at == null ? "" : ", ρ(" + at + ") "
                    + Markdown.meanSd(rs.values(task, at, "rho"))) + "): " + all.explanation());
        }
        int n = tasks.length;
        Verdict v = plan.seeds() < VerdictRule.MIN_SEEDS ? Verdict.INCONCLUSIVE
                : both * 2 > n ? Verdict.SUPPORTED : flat * 2 > n ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
        ev.add(both + " of " + n + " tasks with both parts supported; ρ(λ = 0) ≤ 1.2 on " + flat);
        return new ClaimResult(GatedVerdict.of(v, List.of()), ev);
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
