package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.ConditioningStudy.EPS;
import static org.neuralode4j.cli.studies.ConditioningStudy.NONE;
import static org.neuralode4j.cli.studies.ConditioningStudy.TASKS;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.neuralode4j.analysis.verdict.ParetoFront;

/** The conditioning report's tables: results per arm, training NFE per epoch, attacks, fronts, per-seed values. */
final class ConditioningTables {
    private ConditioningTables() {}

    static String render(Results rs) {
        StringBuilder md = new StringBuilder("## Results (mean ± sd over seeds)\n\n");
        md.append(Markdown.header("task", "arm", "test acc", "train acc", "test NFE", "train NFE (last epoch)",
                "median log10 κ", "p90 log10 κ", "median log10 κ at t = 1", "non-finite κ", "mean ‖J‖_F",
                "margin mean", "margin median", "margin p10", "censored margins", "collapsed"));
        for (String task : TASKS) {
            Set<String> out = ConditioningClaims.collapsed(rs, task);
            for (String arm : ConditioningStudy.arms()) {
                List<String> c = new ArrayList<>(List.of(task, arm));
                for (String k : new String[] {"acc.test", "acc.train", "nfe.test", "nfe.train", "kappa.log10.median",
                        "kappa.log10.p90", "kappa.log10.median.t1", "kappa.nonfinite", "frobenius.mean", "margin.mean",
                        "margin.median", "margin.p10", "margin.censored"}) {
                    c.add(Markdown.meanSd(rs.values(task, arm, k)));
                }
                c.add(out.contains(arm) ? "yes" : "");
                md.append(Markdown.row(c));
            }
        }
        md.append("\nCollapsed: mean test accuracy more than ").append(ConditioningClaims.COLLAPSE)
                .append(" below the unregularised arm's (claims.md §0.1 gate (b)); such arms are left out of J5 and J6."
                        + " Margins are over correctly classified analysed points: L2 by directional search on the 2-D"
                        + " tasks (censored = no class change within r_max), L∞ by PGD bisection on fmnist-pair"
                        + " (censored = PGD fails at ε_max = 0.5).\n\n");
        md.append("## Training NFE per epoch (mean forward NFE per iteration, mean over seeds)\n\n");
        md.append(Markdown.header("task", "arm", "epoch: NFE"));
        for (String task : TASKS) {
            for (String arm : ConditioningStudy.arms()) {
                List<RunResult> runs = rs.of(task, arm);
                int epochs = runs.isEmpty() ? 0 : runs.get(0).series("nfe.train.epoch").length;
                StringBuilder cell = new StringBuilder();
                for (int e = 0; e < epochs; e++) {
                    if (epochs > 20 && e % (epochs / 10) != 0 && e != epochs - 1) {
                        continue;
                    }
                    int ei = e;
                    cell.append(cell.length() == 0 ? "" : ", ").append(e + 1).append(": ").append(Markdown.fmt(
                            Results.mean(rs.values(task, arm, r -> r.series("nfe.train.epoch")[ei]))));
                }
                md.append(Markdown.row(List.of(task, arm, cell.toString())));
            }
        }
        attacks(md, rs, "2-D tasks", List.of(TASKS).stream().filter(t -> !ConditioningStudy.isImage(t)).toList(), EPS);
        attacks(md, rs, "image pair, pixels in [0, 1]", List.of(ConditioningImageTask.NAME), ConditioningImageTask.EPS);
        md.append("\n## Pareto fronts: test NFE against test accuracy, per λ (mean ± sd over seeds)\n\n");
        md.append(Markdown.header("task", "family", "arm", "test NFE", "test accuracy", "seeds", "on the front"));
        for (String task : TASKS) {
            for (String family : new String[] {"frobenius", "condition"}) {
                for (ParetoFront.Point p : front(rs, task, family)) {
                    md.append(Markdown.row(List.of(task, family, p.label(), Markdown.fmt(p.costMean()) + " ± "
                            + Markdown.fmt(p.costSd()), Markdown.fmt(p.qualityMean()) + " ± " + Markdown.fmt(p.qualitySd()),
                            String.valueOf(p.seeds()), p.onFront() ? "yes" : "")));
                }
            }
        }
        md.append(Markdown.perSeedHeading(rs));
        md.append(Markdown.header("task", "arm", "test acc", "test NFE", "median log10 κ", "mean margin",
                "PGD/clean at ε = 0.1"));
        for (String task : TASKS) {
            for (String arm : ConditioningStudy.arms()) {
                md.append(Markdown.row(List.of(task, arm, Markdown.perSeed(rs.values(task, arm, "acc.test")),
                        Markdown.perSeed(rs.values(task, arm, "nfe.test")),
                        Markdown.perSeed(rs.values(task, arm, "kappa.log10.median")),
                        Markdown.perSeed(rs.values(task, arm, "margin.mean")),
                        Markdown.perSeed(ConditioningClaims.robustRatio(rs, task, arm,
                                indexOf(ConditioningStudy.eps(task), 0.1))))));
            }
        }
        md.append("\nPlots per task: front_<task>.png (accuracy against NFE per family), robust_accuracy_<task>.png"
                + " (PGD accuracy against ε per arm), kappa_profile_<task>.png (median log10 κ at each t per arm).\n");
        return md.toString();
    }

    /** One attack table for tasks sharing an ε list (L∞ robust accuracy of the analysed points). */
    private static void attacks(StringBuilder md, Results rs, String title, List<String> tasks, double[] eps) {
        md.append("\n## Attacks, ").append(title).append(" (L∞, analysed points; mean ± sd over seeds)\n\n");
        List<String> cols = new ArrayList<>(List.of("task", "arm", "clean"));
        for (String kind : new String[] {"FGSM ", "PGD ", "PGD/clean "}) {
            for (double e : eps) {
                cols.add(kind + e);
            }
        }
        md.append(Markdown.header(cols.toArray(String[]::new)));
        for (String task : tasks) {
            for (String arm : ConditioningStudy.arms()) {
                List<String> c = new ArrayList<>(List.of(task, arm, Markdown.meanSd(rs.values(task, arm,
                        "acc.clean.analysis"))));
                for (String kind : new String[] {"attack.fgsm", "attack.pgd"}) {
                    for (int e = 0; e < eps.length; e++) {
                        int ei = e;
                        c.add(Markdown.meanSd(rs.values(task, arm, r -> r.series(kind)[ei])));
                    }
                }
                for (int e = 0; e < eps.length; e++) {
                    c.add(Markdown.meanSd(ConditioningClaims.robustRatio(rs, task, arm, e)));
                }
                md.append(Markdown.row(c));
            }
        }
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        throw new IllegalArgumentException(v + " is not in the list");
    }

    /** The unregularised arm, then the family's λ grid, as a front of test NFE against test accuracy. */
    static List<ParetoFront.Point> front(Results rs, String task, String family) {
        List<ParetoFront.Input> in = new ArrayList<>();
        in.add(new ParetoFront.Input(NONE, rs.values(task, NONE, "nfe.test"), rs.values(task, NONE, "acc.test")));
        for (String arm : ConditioningClaims.family(family)) {
            in.add(new ParetoFront.Input(arm, rs.values(task, arm, "nfe.test"), rs.values(task, arm, "acc.test")));
        }
        return ParetoFront.of(in, true);
    }
}
