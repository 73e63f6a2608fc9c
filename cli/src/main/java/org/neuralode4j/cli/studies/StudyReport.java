package org.neuralode4j.cli.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neuralode4j.analysis.verdict.Direction;
import org.neuralode4j.analysis.verdict.Floors;
import org.neuralode4j.analysis.verdict.Outcome;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.analysis.verdict.Scale;
import org.neuralode4j.analysis.verdict.Verdict;
import org.neuralode4j.analysis.verdict.VerdictRule;
import org.neuralode4j.cli.studies.ConditioningStudy.Arm;
import org.neuralode4j.cli.studies.ConditioningStudy.Plan;
import org.neuralode4j.cli.studies.ConditioningStudy.RunResult;

/**
 * The conditioning study's verdicts (claims.md §1, rules of evaluation.md §4.4) and its Markdown report. Every
 * number a verdict uses is printed in the report; claims that go against the paper stay in it.
 */
final class StudyReport {
    private StudyReport() {}

    static Map<String, Object> conditioning(Plan plan, List<Arm> arms, String[] tasks, List<RunResult> rs, double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("# Study: Jacobian norm regularisation and conditioning (Josias & Brink 2022)\n\n");
        md.append("- mode: ").append(plan.quick() ? "quick (smaller data, fewer epochs and analysis points)" : "full").append('\n');
        md.append("- tasks: disk-annulus, moons (σ = 0.2), 2spirals; train/test ").append(plan.trainSize()).append('/')
                .append(plan.testSize()).append("; epochs ").append(plan.epochs()).append(" (2spirals ").append(plan.spiralEpochs())
                .append(")\n");
        md.append("- model: W1 (augment 1, MLP 3→64→64→3 tanh, linear head), dopri5 torchdiffeq preset rtol = atol = 1e-3, DIRECT, Adam 1e-2, batch ").append(plan.batch()).append('\n');
        md.append("- arms: none; exact Frobenius λ ∈ ").append(java.util.Arrays.toString(plan.lambdas()))
                .append("; condition number (log κ) λ ∈ ").append(java.util.Arrays.toString(plan.lambdas()))
                .append("; penalty channels out of step control\n");
        md.append("- seeds: ").append(plan.seeds()).append("; analysis on the first ").append(plan.analysisPoints())
                .append(" test points: κ on 11 times, FGSM and PGD-20 at ε ∈ ").append(java.util.Arrays.toString(plan.eps()))
                .append(", margins by directional search (").append(plan.marginDirections()).append(" directions)\n");
        md.append("- rules: evaluation.md §4.4, z = 2, Bonferroni for existential claims; wall time ")
                .append(ConditioningStudy.fmt(seconds)).append(" s\n\n");

        md.append("## Results (mean ± sd over seeds)\n\n");
        md.append("| task | arm | test acc | train acc | test NFE | median log10 κ | mean ‖J‖_F | FGSM acc | PGD acc | mean margin | train s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String task : tasks) {
            for (Arm arm : arms) {
                md.append("| ").append(task).append(" | ").append(arm.name()).append(" | ")
                        .append(ms(rs, task, arm, RunResult::testAccuracy)).append(" | ")
                        .append(ms(rs, task, arm, RunResult::trainAccuracy)).append(" | ")
                        .append(ms(rs, task, arm, r -> (double) r.testNfe())).append(" | ")
                        .append(ms(rs, task, arm, RunResult::log10KappaMedian)).append(" | ")
                        .append(ms(rs, task, arm, RunResult::frobeniusMean)).append(" | ");
                for (int e = 0; e < plan.eps().length; e++) {
                    int ei = e;
                    md.append(e > 0 ? " / " : "").append(ms(rs, task, arm, r -> r.fgsmAccuracy()[ei]));
                }
                md.append(" | ");
                for (int e = 0; e < plan.eps().length; e++) {
                    int ei = e;
                    md.append(e > 0 ? " / " : "").append(ms(rs, task, arm, r -> r.pgdAccuracy()[ei]));
                }
                md.append(" | ").append(ms(rs, task, arm, RunResult::meanMargin)).append(" | ")
                        .append(ms(rs, task, arm, RunResult::trainSeconds)).append(" |\n");
            }
        }
        md.append("\nPlots: nfe_vs_lambda.png, accuracy_vs_lambda.png, kappa_vs_lambda.png; per task, kappa_cdf_<task>.png"
                + " (distribution of log10 κ per arm) and robust_accuracy_<task>.png (PGD accuracy vs ε per arm).\n\n"
                + "## Claims\n\n");

        Map<String, Object> verdicts = new LinkedHashMap<>();
        List<Arm> frob = arms.stream().filter(a -> a.family().equals("frobenius")).toList();
        List<Arm> cond = arms.stream().filter(a -> a.family().equals("condition")).toList();
        Arm none = arms.get(0);

        // J1: Frobenius lowers test NFE (existential over λ_F, per task, aggregated).
        Map<String, Verdict> j1 = new LinkedHashMap<>();
        Map<String, Outcome> j1o = new LinkedHashMap<>();
        for (String t : tasks) {
            Outcome o = VerdictRule.existential(comparisons(rs, t, none, frob, r -> (double) r.testNfe(), Scale.LOG10),
                    Direction.LOWERS, Floors.NFE_FLOOR);
            j1.put(t, o.verdict());
            j1o.put(t, o);
        }
        claim(md, verdicts, "J1", "Penalising the Frobenius norm of the dynamics' Jacobian reduces the function evaluations the solver needs.",
                VerdictRule.aggregateOverTasks(j1), j1o);

        // J2: at the Frobenius arm with the lowest NFE among J1's supported ones, test accuracy is lowered (hard tasks).
        Map<String, Verdict> j2 = new LinkedHashMap<>();
        Map<String, Outcome> j2o = new LinkedHashMap<>();
        for (String t : tasks) {
            if (t.equals("disk-annulus")) {
                continue;
            }
            Arm best = null;
            for (Outcome part : j1o.get(t).parts()) {
                if (part.verdict() == Verdict.SUPPORTED) {
                    Arm a = frob.get(j1o.get(t).parts().indexOf(part));
                    if (best == null || ConditioningStudy.mean(rs, t, a.name(), "nfe") < ConditioningStudy.mean(rs, t, best.name(), "nfe")) {
                        best = a;
                    }
                }
            }
            if (best == null) {
                j2.put(t, Verdict.NOT_SUPPORTED);
                j2o.put(t + ": no Frobenius arm lowered NFE (J1 supports none), so not supported", null);
                continue;
            }
            Outcome o = VerdictRule.directional(pair(rs, t, none, best, RunResult::testAccuracy, Scale.LINEAR), Direction.LOWERS,
                    Floors.ACCURACY_FLOOR);
            j2.put(t, o.verdict());
            j2o.put(t, o);
        }
        claim(md, verdicts, "J2", "That reduction comes at a cost to generalisation.", VerdictRule.aggregateOverTasks(j2), j2o);

        // J3: Frobenius raises median log10 κ (existential over tasks × λ_F).
        List<PairedComparison> j3c = new ArrayList<>();
        for (String t : tasks) {
            j3c.addAll(comparisons(rs, t, none, frob, RunResult::log10KappaMedian, Scale.LINEAR));
        }
        Outcome j3 = VerdictRule.existential(j3c, Direction.RAISES, Floors.KAPPA_FLOOR);
        claim(md, verdicts, "J3", "Naive Jacobian-norm regularisation can make the ODE more ill-conditioned.", j3.verdict(),
                Map.of("tasks × λ_F", j3));

        // J4: condition number lowers NFE (existential over λ_κ) and, at that λ, accuracy is non-inferior (Δ = 0.01).
        Map<String, Verdict> j4 = new LinkedHashMap<>();
        Map<String, Outcome> j4o = new LinkedHashMap<>();
        for (String t : tasks) {
            Outcome nfe = VerdictRule.existential(comparisons(rs, t, none, cond, r -> (double) r.testNfe(), Scale.LOG10),
                    Direction.LOWERS, Floors.NFE_FLOOR);
            Arm chosen = cond.get(Math.max(0, nfe.configIndex()));
            Outcome acc = VerdictRule.nonInferiority(pair(rs, t, none, chosen, RunResult::testAccuracy, Scale.LINEAR), true,
                    Floors.ACCURACY_DELTA);
            Outcome both = VerdictRule.compound(nfe, acc);
            j4.put(t, both.verdict());
            j4o.put(t, both);
        }
        claim(md, verdicts, "J4", "Penalising the condition number lowers NFE without a significant loss in generalisation.",
                VerdictRule.aggregateOverTasks(j4), j4o);

        // J5: regularisation does not guarantee robustness: PGD accuracy raised? per (task, arm, ε) where none < 0.95.
        int supported = 0;
        int notSupported = 0;
        int configs = 0;
        Map<String, Outcome> j5o = new LinkedHashMap<>();
        for (String t : tasks) {
            for (Arm a : arms.subList(1, arms.size())) {
                for (int e = 0; e < plan.eps().length; e++) {
                    int ei = e;
                    if (ConditioningStudy.mean(rs, t, none.name(), "accuracy") < 0 || mean(ConditioningStudy.values(rs, t, none.name(),
                            r -> r.pgdAccuracy()[ei])) >= 0.95) {
                        continue;
                    }
                    Outcome o = VerdictRule.directional(pair(rs, t, none, a, r -> r.pgdAccuracy()[ei], Scale.LINEAR), Direction.RAISES,
                            Floors.ACCURACY_FLOOR);
                    configs++;
                    if (o.verdict() == Verdict.SUPPORTED) {
                        supported++;
                    } else if (o.verdict() == Verdict.NOT_SUPPORTED) {
                        notSupported++;
                    }
                    j5o.put(t + ", " + a.name() + ", ε = " + plan.eps()[e], o);
                }
            }
        }
        Verdict j5 = configs == 0 ? Verdict.NOT_TESTED : notSupported > 0 ? Verdict.SUPPORTED
                : supported == configs ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
        claim(md, verdicts, "J5", "Jacobian regularisation does not guarantee adversarial robustness.", j5, j5o);

        // J6: larger margins (existential raises over tasks × arms, log10 scale).
        List<PairedComparison> j6c = new ArrayList<>();
        for (String t : tasks) {
            j6c.addAll(comparisons(rs, t, none, arms.subList(1, arms.size()), RunResult::meanMargin, Scale.LOG10));
        }
        Outcome j6 = VerdictRule.existential(j6c, Direction.RAISES, Floors.MARGIN_FLOOR);
        claim(md, verdicts, "J6", "It can, however, lead to larger-margin classifiers.", j6.verdict(), Map.of("tasks × arms", j6));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("study", "conditioning");
        out.put("quick", plan.quick());
        out.put("seconds", seconds);
        out.put("verdicts", verdicts);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult r : rs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", r.task());
            m.put("arm", r.arm());
            m.put("seed", r.seed());
            m.put("test_accuracy", r.testAccuracy());
            m.put("train_accuracy", r.trainAccuracy());
            m.put("test_nfe", r.testNfe());
            m.put("train_nfe", r.trainNfe());
            m.put("median_log10_kappa", r.log10KappaMedian());
            m.put("mean_frobenius", r.frobeniusMean());
            m.put("fgsm_accuracy", r.fgsmAccuracy());
            m.put("pgd_accuracy", r.pgdAccuracy());
            m.put("train_seconds", r.trainSeconds());
            m.put("mean_margin", r.meanMargin());
            m.put("seconds", r.seconds());
            runs.add(m);
        }
        out.put("runs", runs);
        out.put("markdown", md.toString());
        return out;
    }

    private static void claim(StringBuilder md, Map<String, Object> verdicts, String id, String text, Verdict v,
                              Map<String, Outcome> details) {
        StudyMarkdown.claim(md, verdicts, id, text, v, details);
    }

    private static List<PairedComparison> comparisons(List<RunResult> rs, String task, Arm base, List<Arm> arms,
                                                      Function<RunResult, Double> metric, Scale scale) {
        List<PairedComparison> out = new ArrayList<>();
        for (Arm a : arms) {
            out.add(pair(rs, task, base, a, metric, scale));
        }
        return out;
    }

    private static PairedComparison pair(List<RunResult> rs, String task, Arm base, Arm arm, Function<RunResult, Double> metric,
                                         Scale scale) {
        return PairedComparison.of(ConditioningStudy.values(rs, task, base.name(), metric),
                ConditioningStudy.values(rs, task, arm.name(), metric), scale);
    }

    private static String ms(List<RunResult> rs, String task, Arm arm, Function<RunResult, Double> metric) {
        return StudyMarkdown.meanSd(ConditioningStudy.values(rs, task, arm.name(), metric));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
