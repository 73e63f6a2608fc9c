package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.LognormStudy.CONTROL;
import static org.neuralode4j.cli.studies.LognormStudy.DELTAS;
import static org.neuralode4j.cli.studies.LognormStudy.EPS;
import static org.neuralode4j.cli.studies.LognormStudy.SCHEDULE;
import static org.neuralode4j.cli.studies.LognormStudy.TASKS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The lognorm study's tables: per data set and arm the clean, validation, FGSM and PGD accuracies, μ₂ and expansion
 * on test and training trajectories, the stabilisation's ‖Δ‖_F and its check, training time; per-seed values of
 * every number a verdict uses; the regularisers' tuning on the validation split.
 */
final class LognormTables {
    private LognormTables() {}

    /** Whether {@code arm} is one of the models derived inside the schedule run. */
    static boolean inSchedule(String arm) {
        return LognormStudy.scheduleArms().contains(arm);
    }

    /** The key of {@code metric} for {@code arm} in run {@code r} (schedule arms are prefixed by their name). */
    static String key(RunResult r, String arm, String metric) {
        return (inSchedule(arm) ? arm : "model") + "." + metric;
    }

    /** Per-seed values of one arm, seeds in order. */
    static double[] values(Results rs, String task, String arm, ToDoubleFunction<RunResult> f) {
        return rs.values(task, inSchedule(arm) ? SCHEDULE : arm, f);
    }

    static double[] scalar(Results rs, String task, String arm, String metric) {
        return values(rs, task, arm, r -> r.scalar(key(r, arm, metric)));
    }

    /** PGD (or FGSM) accuracy per seed at the i-th ε. */
    static double[] attack(Results rs, String task, String arm, String kind, int i) {
        return values(rs, task, arm, r -> {
            double[] s = r.series(key(r, arm, "attack." + kind));
            return i < s.length ? s[i] : Double.NaN;
        });
    }

    /** Training wall time of an arm (its training, stabilisation and fine-tuning), per seed. */
    static double[] trainingSeconds(Results rs, String task, String arm) {
        String t = Measurements.TIMING;
        return values(rs, task, arm, r -> r.scalar(t + "train") + r.scalar(t + key(r, arm, "finetune"))
                + (arm.equals(CONTROL) || !inSchedule(arm) ? 0 : r.scalar(t + key(r, arm, "stabilise"))));
    }

    /** The arms present for a data set: control, the δ arms, then every regulariser arm in plan order. */
    static List<String> armsOf(Results rs, String task) {
        List<String> arms = new ArrayList<>(LognormStudy.scheduleArms());
        for (RunResult r : rs.runs()) {
            if (r.run().task().equals(task) && !r.run().arm().equals(SCHEDULE) && !arms.contains(r.run().arm())) {
                arms.add(r.run().arm());
            }
        }
        return arms;
    }

    static String render(Results rs) {
        StringBuilder md = new StringBuilder();
        for (String task : TASKS) {
            if (rs.of(task, SCHEDULE).isEmpty()) {
                continue;
            }
            md.append("\n### ").append(task).append(": arms (mean ± sd over seeds)\n\n");
            md.append(Markdown.header("arm", "test acc", "val acc", "PGD ε=0.05", "μ₂ test median", "μ₂ test max",
                    "μ₂ train max", "expansion test median", "expansion train median", "‖Δ‖_F", "training s"));
            int headline = indexOf(LognormStudy.EPS_HEADLINE);
            for (String arm : armsOf(rs, task)) {
                md.append(Markdown.row(List.of(arm, Markdown.meanSd(scalar(rs, task, arm, "acc.test")),
                        Markdown.meanSd(scalar(rs, task, arm, "acc.val")),
                        Markdown.meanSd(attack(rs, task, arm, "pgd", headline)),
                        Markdown.meanSd(scalar(rs, task, arm, "mu2.test.median")),
                        Markdown.meanSd(scalar(rs, task, arm, "mu2.test.max")),
                        Markdown.meanSd(scalar(rs, task, arm, "mu2.train.max")),
                        Markdown.meanSd(scalar(rs, task, arm, "expansion.test.median")),
                        Markdown.meanSd(scalar(rs, task, arm, "expansion.train.median")),
                        Markdown.meanSd(scalar(rs, task, arm, "stab.delta_f")),
                        Markdown.meanSd(trainingSeconds(rs, task, arm)))));
            }
            md.append("\n### ").append(task).append(": accuracy under attack (mean over seeds; ε in pixel units)\n\n");
            List<String> cols = new ArrayList<>(List.of("arm", "attack"));
            for (double e : EPS) {
                cols.add("ε=" + Markdown.lambda(e));
            }
            md.append(Markdown.header(cols.toArray(new String[0])));
            for (String arm : armsOf(rs, task)) {
                for (String kind : new String[] {"fgsm", "pgd"}) {
                    List<String> row = new ArrayList<>(List.of(arm, kind.toUpperCase()));
                    for (int i = 0; i < EPS.length; i++) {
                        row.add(Markdown.fmt(Results.mean(attack(rs, task, arm, kind, i))));
                    }
                    md.append(Markdown.row(row));
                }
            }
            md.append("\n### ").append(task).append(": stabilisation per δ (per seed)\n\n");
            md.append(Markdown.header("δ", "‖Δ‖_F", "‖Δ‖_F/‖A‖_F", "max (μ₂ − δ) on the constraint states after",
                    "on fresh states after", "all rounds converged", "F evaluations", "STABILISE s"));
            for (double d : DELTAS) {
                String arm = LognormStudy.stabilised(d);
                md.append(Markdown.row(List.of(Markdown.lambda(d), Markdown.perSeed(scalar(rs, task, arm, "stab.delta_f")),
                        Markdown.perSeed(scalar(rs, task, arm, "stab.delta_rel")),
                        Markdown.perSeed(scalar(rs, task, arm, "stab.m_after")),
                        Markdown.perSeed(scalar(rs, task, arm, "stab.m_fresh")),
                        Markdown.perSeed(scalar(rs, task, arm, "stab.converged")),
                        Markdown.perSeed(scalar(rs, task, arm, "stab.evaluations")),
                        Markdown.perSeed(values(rs, task, arm, r -> r.scalar(Measurements.TIMING + arm + ".stabilise"))))));
            }
            md.append("\n### ").append(task).append(": per-seed values behind the verdicts\n\n");
            md.append(Markdown.header("arm", "test acc", "PGD ε=0.05", "expansion test median", "μ₂ test max"));
            for (String arm : armsOf(rs, task)) {
                md.append(Markdown.row(List.of(arm, Markdown.perSeed(scalar(rs, task, arm, "acc.test")),
                        Markdown.perSeed(attack(rs, task, arm, "pgd", headline)),
                        Markdown.perSeed(scalar(rs, task, arm, "expansion.test.median")),
                        Markdown.perSeed(scalar(rs, task, arm, "mu2.test.max")))));
            }
            md.append("\n### ").append(task).append(": regularisers tuned on the validation split\n\n");
            md.append(Markdown.header("regulariser", "tuned λ (rule: largest λ with mean val acc ≥ control's − "
                    + LognormClaims.TUNING_MARGIN + ")", "its test acc", "PGD ε=0.05", "stabilised δ=0 − it, PGD ε=0.05"
                    + " (d̄ ± se)"));
            for (String family : new String[] {"frobenius", "condition"}) {
                double l = LognormClaims.tuned(rs, task, family);
                if (Double.isNaN(l)) {
                    md.append(Markdown.row(List.of(family, "none qualifies", "–", "–", "–")));
                    continue;
                }
                String arm = family.equals("frobenius") ? LognormStudy.frobenius(l) : LognormStudy.condition(l);
                var pc = LognormClaims.pair(rs, task, arm, LognormStudy.stabilised(0), r -> attackAt(r, arm, headline),
                        r -> attackAt(r, LognormStudy.stabilised(0), headline),
                        org.neuralode4j.analysis.verdict.Scale.LINEAR);
                md.append(Markdown.row(List.of(family, Markdown.lambda(l), Markdown.meanSd(scalar(rs, task, arm, "acc.test")),
                        Markdown.meanSd(attack(rs, task, arm, "pgd", headline)),
                        pc == null ? "–" : Markdown.fmt(pc.meanDiff()) + " ± " + Markdown.fmt(pc.se()) + " (S = "
                                + pc.seeds() + ", reported, no verdict)")));
            }
        }
        return md.toString();
    }

    static double attackAt(RunResult r, String arm, int i) {
        double[] s = r.series(key(r, arm, "attack.pgd"));
        return i < s.length ? s[i] : Double.NaN;
    }

    static int indexOf(double eps) {
        for (int i = 0; i < EPS.length; i++) {
            if (EPS[i] == eps) {
                return i;
            }
        }
        throw new IllegalArgumentException("ε " + eps + " is not in the list");
    }
}
