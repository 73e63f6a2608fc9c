package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.RnodeStudy.sweep;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.analysis.verdict.ParetoFront;

/** The RNODE report's tables: results per arm, the NLL–NFE fronts, training NFE over training, per-seed values. */
final class RnodeTables {
    private RnodeTables() {}

    static List<String> arms(Plan plan) {
        return plan.runs().stream().map(Run::arm).distinct().toList();
    }

    static String render(Plan plan, Results rs) {
        StringBuilder md = new StringBuilder("## Results (mean ± sd over seeds)\n\n");
        md.append("R1's λ per task: ");
        for (String task : RnodeStudy.tasks(plan)) {
            String at = RnodeClaims.r1Lambda(plan, rs, task);
            md.append(task).append(" ").append(at == null ? "none" : at).append("; ");
        }
        md.append("\n\n").append(Markdown.header("task", "arm", "NLL (1e-5)", "eval NFE 1e-5", "eval NFE 1e-3",
                "train NFE fwd / bwd (last 10 %)", "ρ (last 10 % ÷ 40–50 %)", "transport cost", "kinetic", "Jacobian",
                "NLL under RK4", "diverged"));
        for (String task : RnodeStudy.tasks(plan)) {
            for (String arm : arms(plan)) {
                if (rs.of(task, arm).isEmpty()) {
                    continue;
                }
                md.append(Markdown.row(List.of(task, arm, Markdown.meanSd(rs.values(task, arm, "nll")),
                        Markdown.meanSd(rs.values(task, arm, "nfe.eval")), Markdown.meanSd(rs.values(task, arm, "nfe.eval.loose")),
                        Markdown.meanSd(rs.values(task, arm, "nfe.train.forward")) + " / "
                                + Markdown.meanSd(rs.values(task, arm, "nfe.train.backward")),
                        Markdown.meanSd(rs.values(task, arm, "rho")), Markdown.meanSd(rs.values(task, arm, "transport")),
                        Markdown.meanSd(rs.values(task, arm, "kinetic")), Markdown.meanSd(rs.values(task, arm, "jacobian")),
                        Markdown.meanSd(rs.values(task, arm, "nll.train_solver")),
                        String.valueOf((int) java.util.Arrays.stream(rs.values(task, arm, "diverged")).sum()))));
            }
        }
        md.append("\n## Pareto fronts: evaluation NFE against NLL, per λ (mean ± sd over seeds)\n\n");
        md.append(Markdown.header("task", "arm", "eval NFE 1e-5", "NLL", "seeds", "on the front"));
        for (String task : RnodeStudy.tasks(plan)) {
            for (ParetoFront.Point p : front(plan, rs, task)) {
                md.append(Markdown.row(List.of(task, p.label(), Markdown.fmt(p.costMean()) + " ± " + Markdown.fmt(p.costSd()),
                        Markdown.fmt(p.qualityMean()) + " ± " + Markdown.fmt(p.qualitySd()), String.valueOf(p.seeds()),
                        p.onFront() ? "yes" : "")));
            }
        }
        md.append("\n## Training forward NFE over training (mean over seeds, per tenth of the iterations)\n\n");
        md.append(Markdown.header("task", "arm", "tenths 1 … 10"));
        for (String task : RnodeStudy.tasks(plan)) {
            for (double l : RnodeStudy.lambdas(plan)) {
                double[] c = meanCurve(rs, task, sweep(l));
                StringBuilder cell = new StringBuilder();
                for (int k = 0; k < 10 && c.length >= 10; k++) {
                    double s = 0;
                    int from = k * c.length / 10;
                    int to = (k + 1) * c.length / 10;
                    for (int i = from; i < to; i++) {
                        s += c[i];
                    }
                    cell.append(k == 0 ? "" : ", ").append(Markdown.fmt(s / (to - from)));
                }
                md.append(Markdown.row(List.of(task, sweep(l), cell.length() == 0 ? "–" : cell.toString())));
            }
        }
        md.append(Markdown.perSeedHeading(rs));
        md.append(Markdown.header("task", "arm", "NLL", "eval NFE 1e-5", "ρ", "NLL under RK4"));
        for (String task : RnodeStudy.tasks(plan)) {
            for (String arm : arms(plan)) {
                if (rs.of(task, arm).isEmpty()) {
                    continue;
                }
                md.append(Markdown.row(List.of(task, arm, Markdown.perSeed(rs.values(task, arm, "nll")),
                        Markdown.perSeed(rs.values(task, arm, "nfe.eval")), Markdown.perSeed(rs.values(task, arm, "rho")),
                        Markdown.perSeed(rs.values(task, arm, "nll.train_solver")))));
            }
        }
        md.append("\nPlots per task: nfe_training_<task>.png (forward NFE over training per λ), nll_vs_nfe_<task>.png"
                + " (the front), samples_<task>.png (data and samples at λ = 0 and R1's λ).\n");
        return md.toString();
    }

    static List<ParetoFront.Point> front(Plan plan, Results rs, String task) {
        List<ParetoFront.Input> in = new ArrayList<>();
        for (double l : RnodeStudy.lambdas(plan)) {
            in.add(new ParetoFront.Input(sweep(l), rs.values(task, sweep(l), "nfe.eval"), rs.values(task, sweep(l), "nll")));
        }
        return ParetoFront.of(in, false);
    }

    /** Mean over seeds of the per-iteration forward NFE (diverged runs are cut short; the shortest decides). */
    static double[] meanCurve(Results rs, String task, String arm) {
        List<double[]> curves = new ArrayList<>();
        int len = Integer.MAX_VALUE;
        for (RunResult r : rs.of(task, arm)) {
            double[] c = r.series("nfe.forward");
            if (c.length > 0) {
                curves.add(c);
                len = Math.min(len, c.length);
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
}
