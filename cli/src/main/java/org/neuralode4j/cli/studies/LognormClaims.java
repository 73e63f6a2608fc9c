package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.LognormStudy.CONTROL;
import static org.neuralode4j.cli.studies.LognormStudy.DELTAS;
import static org.neuralode4j.cli.studies.LognormStudy.EPS;
import static org.neuralode4j.cli.studies.LognormStudy.LAMBDAS;
import static org.neuralode4j.cli.studies.LognormStudy.SCHEDULE;
import static org.neuralode4j.cli.studies.LognormStudy.TASKS;
import static org.neuralode4j.cli.studies.LognormStudy.stabilised;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.neuralode4j.analysis.verdict.Direction;
import org.neuralode4j.analysis.verdict.Floors;
import org.neuralode4j.analysis.verdict.Gate;
import org.neuralode4j.analysis.verdict.GatedVerdict;
import org.neuralode4j.analysis.verdict.Outcome;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.analysis.verdict.Scale;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.analysis.verdict.VerdictRule;

/**
 * The lognorm study's claims L1–L4 (claims.md §4, De Marinis, Guglielmi, Sicilia, Tudisco 2025) with the rules of
 * claims.md §0 and §0.1, fixed before the data, and the study's gates: baseline quality of the control, runs that
 * finished, and collapse (an arm more than 0.10 below the control in mean test accuracy is left out of L2–L4).
 */
final class LognormClaims {
    /** L1's tolerance τ (stability.md §3.10). */
    static final double TAU = 1e-3;
    /** L4's non-inferiority tolerance (claims.md §4). */
    static final double L4_DELTA = 0.02;
    /** The tuning rule's margin on mean validation accuracy. */
    static final double TUNING_MARGIN = 0.01;
    /** Baseline quality: the control's test accuracy in every seed (the model trained at all). */
    static final double BASELINE_ACCURACY = 0.70;
    /** claims.md §0.1 (b): collapse is a mean test accuracy more than this below the control's. */
    static final double COLLAPSE = 0.10;

    private LognormClaims() {}

    static List<Claim> all() {
        return List.of(
                new Claim("L1", "The two-level algorithm (inner: optimal perturbation of fixed Frobenius norm; outer:"
                        + " tuning of its size) finds a small perturbation that brings the Jacobian's logarithmic norm"
                        + " to the target.", "max (μ₂ − δ) over each round's constraint states after OUTER, and the"
                        + " exit statuses; ‖Δ‖_F/‖A‖_F and μ₂ on test states reported", "check-rule: SUPPORTED if"
                        + " max μ₂ ≤ δ + τ (τ = " + TAU + ") with every OUTER CONVERGED in every seed, δ and data set;"
                        + " NOT SUPPORTED if it is missed anywhere (by how much is shown); S < 3: inconclusive",
                        false, LognormClaims::l1),
                new Claim("L2", "The stabilised classifier is more stable than the same classifier trained the"
                        + " classical way: its flow expands perturbations less.", "median empirical expansion ratio"
                        + " on test trajectories (log10), stabilised δ = 0 vs control; max μ₂ on test states reported",
                        "directional \"lowers\" (floor 0.0212, z = 2) per data set; aggregated over the data sets",
                        false, LognormClaims::l2),
                new Claim("L3", "It is therefore more robust, i.e. less vulnerable to adversarial attacks.",
                        "PGD-20 accuracy (linear), stabilised vs control", "per data set, existential over the "
                        + DELTAS.length + " δ (Bonferroni z_m) of the compound \"raises at ε = 0.05 (floor 0.005) and"
                        + " not confidently lower at any ε of the list\"; collapsed δ arms left out; aggregated over"
                        + " the data sets; FGSM reported", false, LognormClaims::l3),
                new Claim("L4", "The robustness costs little clean accuracy.", "clean test accuracy, stabilised (the δ"
                        + " behind L3: its supported δ, else the δ of largest PGD gain at ε = 0.05) vs control",
                        "non-inferiority with Δ = " + L4_DELTA + " (z = 2) per data set; aggregated over the data"
                        + " sets; the trade-off over δ is in the tables", false, LognormClaims::l4));
    }

    /** Per-seed paired values of two arms (by seed), or null when no seed has both finite. */
    static PairedComparison pair(Results rs, String task, String base, String arm, ToDoubleFunction<RunResult> fb,
                                 ToDoubleFunction<RunResult> ft, Scale scale) {
        return rs.pair(task, LognormTables.inSchedule(base) ? SCHEDULE : base,
                LognormTables.inSchedule(arm) ? SCHEDULE : arm, fb, ft, scale);
    }

    static PairedComparison pair(Results rs, String task, String base, String arm, String metric, Scale scale) {
        return pair(rs, task, base, arm, r -> r.scalar(LognormTables.key(r, base, metric)),
                r -> r.scalar(LognormTables.key(r, arm, metric)), scale);
    }

    static PairedComparison pgd(Results rs, String task, String arm, int i) {
        return pair(rs, task, CONTROL, arm, r -> LognormTables.attackAt(r, CONTROL, i),
                r -> LognormTables.attackAt(r, arm, i), Scale.LINEAR);
    }

    static Outcome missing(String why) {
        return new Outcome(Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, -1,
                List.of(), why);
    }

    /** The tasks the results hold. */
    static List<String> tasks(Results rs) {
        List<String> t = new ArrayList<>();
        for (String task : TASKS) {
            if (!rs.of(task, SCHEDULE).isEmpty()) {
                t.add(task);
            }
        }
        return t;
    }

    /** Gates of every row: the control trained (baseline quality) and every schedule run finished. */
    static List<Gate> gates(Results rs) {
        List<Gate> g = new ArrayList<>();
        for (String task : tasks(rs)) {
            g.add(Gate.baselineQuality("baseline quality " + task + " (control test accuracy)",
                    LognormTables.scalar(rs, task, CONTROL, "acc.test"), BASELINE_ACCURACY, true));
            int failed = 0;
            for (String arm : LognormStudy.scheduleArms()) {
                for (double v : LognormTables.scalar(rs, task, arm, "acc.test")) {
                    failed += Double.isFinite(v) ? 0 : 1;
                }
            }
            g.add(new Gate("finished " + task, failed == 0, "finished " + task + ": " + failed
                    + " arm × seed results missing (a run that did not train)"));
        }
        return g;
    }

    /** Whether an arm collapsed (claims.md §0.1 (b)): mean test accuracy more than 0.10 below the control's. */
    static Gate collapse(Results rs, String task, String arm) {
        return Gate.collapse(arm + " on " + task, LognormTables.scalar(rs, task, arm, "acc.test"),
                LognormTables.scalar(rs, task, CONTROL, "acc.test"), COLLAPSE, true);
    }

    static ClaimResult l1(Results rs) {
        List<String> ev = new ArrayList<>();
        int misses = 0;
        int cases = 0;
        int minSeeds = Integer.MAX_VALUE;
        double worst = Double.NEGATIVE_INFINITY;
        for (String task : tasks(rs)) {
            for (double d : DELTAS) {
                String arm = stabilised(d);
                double[] m = LognormTables.scalar(rs, task, arm, "stab.m_after");
                double[] conv = LognormTables.scalar(rs, task, arm, "stab.converged");
                minSeeds = Math.min(minSeeds, m.length);
                int miss = 0;
                for (int s = 0; s < m.length; s++) {
                    cases++;
                    worst = Math.max(worst, m[s]);
                    if (!(m[s] <= TAU) || conv[s] != 1) {
                        miss++;
                    }
                }
                misses += miss;
                ev.add(task + ", δ = " + Markdown.lambda(d) + ": max (μ₂ − δ) after per seed " + Markdown.perSeed(m)
                        + ", all converged " + Markdown.perSeed(conv) + ", ‖Δ‖_F/‖A‖_F " + Markdown.meanSd(
                        LognormTables.scalar(rs, task, arm, "stab.delta_rel")) + ", μ₂ test max " + Markdown.meanSd(
                        LognormTables.scalar(rs, task, arm, "mu2.test.max")) + (miss == 0 ? "" : "; " + miss + " miss"));
            }
        }
        Verdict v;
        if (cases == 0) {
            v = Verdict.INCONCLUSIVE;
        } else if (minSeeds < VerdictRule.MIN_SEEDS) {
            v = Verdict.INCONCLUSIVE;
            ev.add("inconclusive " + VerdictRule.FEWER_THAN_3_SEEDS + "; observed: " + (misses == 0 ? "met" : "missed")
                    + " in " + (cases - misses) + " of " + cases + " cases");
        } else {
            v = misses == 0 ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED;
            ev.add((cases - misses) + " of " + cases + " (data set, δ, seed) cases meet μ₂ ≤ δ + τ with CONVERGED"
                    + (misses == 0 ? "" : "; worst max (μ₂ − δ) = " + Markdown.fmt(worst)));
        }
        return new ClaimResult(GatedVerdict.of(v, gates(rs)), ev);
    }

    static ClaimResult l2(Results rs) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        String arm = stabilised(0);
        for (String task : tasks(rs)) {
            Gate c = collapse(rs, task, arm);
            PairedComparison pc = pair(rs, task, CONTROL, arm, "expansion.test.median", Scale.LOG10);
            Outcome o = !c.passed() ? missing("collapsed: " + c.reason()) : pc == null ? missing("no finished pair")
                    : VerdictRule.directional(pc, Direction.LOWERS, Floors.MARGIN_FLOOR);
            per.put(task, o.verdict());
            ev.add(task + " (median expansion control " + Markdown.meanSd(LognormTables.scalar(rs, task, CONTROL,
                    "expansion.test.median")) + ", δ = 0 " + Markdown.meanSd(LognormTables.scalar(rs, task, arm,
                    "expansion.test.median")) + "; μ₂ test max control " + Markdown.meanSd(LognormTables.scalar(rs,
                    task, CONTROL, "mu2.test.max")) + ", δ = 0 " + Markdown.meanSd(LognormTables.scalar(rs, task, arm,
                    "mu2.test.max")) + "): " + o.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), gates(rs)), ev);
    }

    /** L3 on one data set: the outcome and the index (in DELTAS) of the δ behind it, or −1. */
    record RobustnessOutcome(Outcome outcome, int delta) {}

    static RobustnessOutcome l3(Results rs, String task) {
        int headline = LognormTables.indexOf(LognormStudy.EPS_HEADLINE);
        double zm = VerdictRule.bonferroniZ(DELTAS.length);
        List<Outcome> parts = new ArrayList<>();
        int named = -1;
        int largest = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        int supported = 0;
        int notSupported = 0;
        for (int k = 0; k < DELTAS.length; k++) {
            String arm = stabilised(DELTAS[k]);
            Gate c = collapse(rs, task, arm);
            PairedComparison at = pgd(rs, task, arm, headline);
            Outcome o;
            if (!c.passed()) {
                o = missing("δ = " + Markdown.lambda(DELTAS[k]) + " left out: " + c.reason());
            } else if (at == null) {
                o = missing("δ = " + Markdown.lambda(DELTAS[k]) + ": no finished pair");
            } else {
                Outcome raises = VerdictRule.directional(at, Direction.RAISES, Floors.ACCURACY_FLOOR, zm);
                o = VerdictRule.compound(raises, notLowerAnywhere(rs, task, arm, zm));
                if (at.meanDiff() > bestGain) {
                    bestGain = at.meanDiff();
                    largest = k;
                }
            }
            if (o.verdict() == Verdict.SUPPORTED) {
                named = supported == 0 ? k : named;
                supported++;
            } else if (o.verdict() == Verdict.NOT_SUPPORTED) {
                notSupported++;
            }
            parts.add(o);
        }
        named = supported > 0 ? named : largest; // the supported δ, else the largest PGD gain at ε = 0.05
        Verdict v = supported > 0 ? Verdict.SUPPORTED : notSupported == DELTAS.length ? Verdict.NOT_SUPPORTED
                : Verdict.INCONCLUSIVE;
        StringBuilder sb = new StringBuilder("existential over m = " + DELTAS.length + " δ (z_m = " + Markdown.fmt(zm)
                + "): " + v.label());
        for (int k = 0; k < parts.size(); k++) {
            sb.append(" | δ = ").append(Markdown.lambda(DELTAS[k])).append(": ").append(parts.get(k).explanation());
        }
        return new RobustnessOutcome(new Outcome(v, Double.NaN, Double.NaN, zm, Floors.ACCURACY_FLOOR, Double.NaN,
                parts.stream().mapToInt(Outcome::seeds).min().orElse(0), named, parts, sb.toString()), named);
    }

    /** "Not confidently lower at any ε": not supported when "lowers" is supported at some ε > 0. */
    private static Outcome notLowerAnywhere(Results rs, String task, String arm, double zm) {
        List<String> lower = new ArrayList<>();
        int seeds = Integer.MAX_VALUE;
        for (int i = 0; i < EPS.length; i++) {
            if (EPS[i] == 0) {
                continue;
            }
            PairedComparison pc = pgd(rs, task, arm, i);
            if (pc == null) {
                return missing("no finished pair at ε = " + Markdown.lambda(EPS[i]));
            }
            seeds = Math.min(seeds, pc.seeds());
            if (VerdictRule.directional(pc, Direction.LOWERS, Floors.ACCURACY_FLOOR, zm).verdict() == Verdict.SUPPORTED) {
                lower.add("ε = " + Markdown.lambda(EPS[i]) + " (d̄ = " + Markdown.fmt(pc.meanDiff()) + ")");
            }
        }
        if (seeds < VerdictRule.MIN_SEEDS) {
            return new Outcome(Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, zm, Floors.ACCURACY_FLOOR, Double.NaN,
                    seeds, -1, List.of(), "not lower at any ε: inconclusive " + VerdictRule.FEWER_THAN_3_SEEDS);
        }
        Verdict v = lower.isEmpty() ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED;
        return new Outcome(v, Double.NaN, Double.NaN, zm, Floors.ACCURACY_FLOOR, Double.NaN, seeds, -1, List.of(),
                "not confidently lower at any ε: " + (lower.isEmpty() ? "none lower" : "lower at " + String.join(", ",
                        lower)) + ": " + v.label());
    }

    static ClaimResult l3(Results rs) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        int headline = LognormTables.indexOf(LognormStudy.EPS_HEADLINE);
        for (String task : tasks(rs)) {
            RobustnessOutcome r = l3(rs, task);
            per.put(task, r.outcome().verdict());
            StringBuilder fgsm = new StringBuilder();
            for (String arm : LognormStudy.scheduleArms()) {
                fgsm.append(fgsm.length() == 0 ? "" : ", ").append(arm).append(" ").append(Markdown.meanSd(
                        LognormTables.attack(rs, task, arm, "fgsm", headline)));
            }
            ev.add(task + " (PGD ε = 0.05 control " + Markdown.meanSd(LognormTables.attack(rs, task, CONTROL, "pgd",
                    headline)) + "; FGSM ε = 0.05: " + fgsm + "): " + r.outcome().explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), gates(rs)), ev);
    }

    static ClaimResult l4(Results rs) {
        Map<String, Verdict> per = new LinkedHashMap<>();
        List<String> ev = new ArrayList<>();
        for (String task : tasks(rs)) {
            int k = l3(rs, task).delta();
            if (k < 0) {
                per.put(task, Verdict.INCONCLUSIVE);
                ev.add(task + ": no δ arm to judge (every one collapsed or missing)");
                continue;
            }
            String arm = stabilised(DELTAS[k]);
            PairedComparison pc = pair(rs, task, CONTROL, arm, "acc.test", Scale.LINEAR);
            Outcome o = pc == null ? missing("no finished pair") : VerdictRule.nonInferiority(pc, true, L4_DELTA);
            per.put(task, o.verdict());
            ev.add(task + ", δ = " + Markdown.lambda(DELTAS[k]) + " (test accuracy control " + Markdown.meanSd(
                    LognormTables.scalar(rs, task, CONTROL, "acc.test")) + ", stabilised " + Markdown.meanSd(
                    LognormTables.scalar(rs, task, arm, "acc.test")) + "): " + o.explanation());
        }
        return new ClaimResult(GatedVerdict.of(VerdictRule.aggregateOverTasks(per), gates(rs)), ev);
    }

    /**
     * The tuning rule, fixed before the data: the largest λ of the grid whose mean validation accuracy is at least
     * the control's mean validation accuracy minus {@link #TUNING_MARGIN}; NaN when none qualifies. The test split
     * is never read.
     */
    static double tuned(Results rs, String task, String family) {
        double control = Results.mean(LognormTables.scalar(rs, task, CONTROL, "acc.val"));
        double best = Double.NaN;
        for (double l : LAMBDAS) {
            String arm = family.equals("frobenius") ? LognormStudy.frobenius(l) : LognormStudy.condition(l);
            double v = Results.mean(LognormTables.scalar(rs, task, arm, "acc.val"));
            if (v >= control - TUNING_MARGIN) {
                best = l;
            }
        }
        return best;
    }
}
