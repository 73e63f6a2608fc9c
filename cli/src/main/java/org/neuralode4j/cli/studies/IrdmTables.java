package org.neuralode4j.cli.studies;

import static org.neuralode4j.cli.studies.IrdmStudy.errKey;

import java.util.ArrayList;
import java.util.List;

/**
 * The IRDM report's tables: gradient error per node count and pairing, training results per method, IRDM with
 * RNODE, and the per-seed values. Wall-clock columns are the timed runs' (one at a time); the report's timing
 * section says where they ran.
 */
final class IrdmTables {
    private IrdmTables() {}

    static String render(Plan plan, Results rs) {
        StringBuilder md = new StringBuilder();
        gradientTables(md, plan, rs);
        trainingTables(md, plan, rs);
        rnodeTable(md, plan, rs);
        md.append("\nPlots: grad_error_<problem>_<stage>_<tol>.png (gradient error vs n per pairing, the adjoint as a"
                + " flat line), loss_vs_time_<task>.png and loss_vs_nfe_<task>.png (seed 0, one line per method).\n");
        return md.toString();
    }

    private static void gradientTables(StringBuilder md, Plan plan, Results rs) {
        md.append("## Gradient error against DIRECT at 1e-10 (mean ± sd over seeds)\n\n");
        List<String> cols = new ArrayList<>(List.of("problem", "stage", "tol", "variant"));
        for (int n : IrdmStudy.NODES) {
            cols.add("n=" + n);
        }
        md.append(Markdown.header(cols.toArray(String[]::new)));
        for (String[] c : IrdmClaims.gradientConfigs(plan)) {
            for (double tol : IrdmStudy.TOLERANCES) {
                for (String v : IrdmStudy.PAIRINGS) {
                    List<String> row = new ArrayList<>(List.of(c[0], c[1], IrdmStudy.tolLabel(tol), v));
                    for (int n : IrdmStudy.NODES) {
                        row.add(Markdown.meanSd(rs.values(c[0], c[1], errKey(tol, v, n))));
                    }
                    md.append(Markdown.row(row));
                }
            }
        }
        md.append("\nThe adjoint, and the seminorm comparison (reported, no verdict reads it):\n\n");
        md.append(Markdown.header("problem", "stage", "tol", "adjoint (full)", "adjoint (seminorm)",
                "IRDM n=10 (full)", "IRDM n=10 (seminorm)", "‖g_ref‖"));
        for (String[] c : IrdmClaims.gradientConfigs(plan)) {
            for (double tol : IrdmStudy.TOLERANCES) {
                md.append(Markdown.row(List.of(c[0], c[1], IrdmStudy.tolLabel(tol),
                        Markdown.meanSd(rs.values(c[0], c[1], errKey(tol, "adjoint", 0))),
                        Markdown.meanSd(rs.values(c[0], c[1], errKey(tol, "adjoint.seminorm", 0))),
                        Markdown.meanSd(rs.values(c[0], c[1], errKey(tol, "matched", 10))),
                        Markdown.meanSd(rs.values(c[0], c[1], errKey(tol, "seminorm", 10))),
                        Markdown.meanSd(rs.values(c[0], c[1], "grad.norm")))));
            }
        }
    }

    private static void trainingTables(StringBuilder md, Plan plan, Results rs) {
        md.append("\n## Training with each gradient method (mean ± sd over seeds)\n\n");
        md.append(Markdown.header("task", "method", "test NLL", "test accuracy", "training CPU s", "training wall s",
                "NFE fwd / bwd per iteration", "total NFE", "CPU ms per NFE", "diverged"));
        String t = IrdmStudy.TRAIN_CPU;
        for (String task : IrdmStudy.trainTasks(plan)) {
            for (String m : IrdmStudy.METHODS) {
                double[] secs = rs.values(task, m, t);
                double[] nfe = rs.values(task, m, "nfe.train.total");
                double[] msPerNfe = new double[secs.length];
                for (int i = 0; i < secs.length; i++) {
                    msPerNfe[i] = 1e3 * secs[i] / nfe[i];
                }
                md.append(Markdown.row(List.of(task, m, Markdown.meanSd(rs.values(task, m, "nll")),
                        Markdown.meanSd(rs.values(task, m, "acc.test")), Markdown.meanSd(secs),
                        Markdown.meanSd(rs.values(task, m, Measurements.TIMING + "train")),
                        Markdown.meanSd(rs.values(task, m, "nfe.train.forward")) + " / "
                                + Markdown.meanSd(rs.values(task, m, "nfe.train.backward")),
                        Markdown.meanSd(nfe), Markdown.meanSd(msPerNfe),
                        String.valueOf((int) java.util.Arrays.stream(rs.values(task, m, "diverged")).sum()))));
            }
        }
        md.append(Markdown.perSeedHeading(rs));
        md.append(Markdown.header("task", "method", "test NLL", "test accuracy", "training CPU s", "total NFE"));
        for (String task : IrdmStudy.trainTasks(plan)) {
            for (String m : IrdmStudy.METHODS) {
                md.append(Markdown.row(List.of(task, m, Markdown.perSeed(rs.values(task, m, "nll")),
                        Markdown.perSeed(rs.values(task, m, "acc.test")), Markdown.perSeed(rs.values(task, m, t)),
                        Markdown.perSeed(rs.values(task, m, "nfe.train.total")))));
            }
        }
        md.append("\nGradient error at n = 10 per seed (matched, full norm) and the adjoint's:\n\n");
        md.append(Markdown.header("problem", "stage", "tol", "IRDM n=10", "IRDM n=16", "adjoint"));
        for (String[] c : IrdmClaims.gradientConfigs(plan)) {
            for (double tol : IrdmStudy.TOLERANCES) {
                md.append(Markdown.row(List.of(c[0], c[1], IrdmStudy.tolLabel(tol),
                        Markdown.perSeed(rs.values(c[0], c[1], errKey(tol, "matched", 10))),
                        Markdown.perSeed(rs.values(c[0], c[1], errKey(tol, "matched", 16))),
                        Markdown.perSeed(rs.values(c[0], c[1], errKey(tol, "adjoint", 0))))));
            }
        }
    }

    private static void rnodeTable(StringBuilder md, Plan plan, Results rs) {
        List<String[]> arms = new ArrayList<>();
        for (Run r : plan.runs()) {
            if (r.text("family").equals("rnode") && arms.stream().noneMatch(a -> a[0].equals(r.task())
                    && a[1].equals(r.arm()))) {
                arms.add(new String[] {r.task(), r.arm()});
            }
        }
        if (arms.isEmpty()) {
            return;
        }
        md.append("\n## IRDM with the RNODE regularisers (T = 1, reported only; runs not timed alone)\n\n");
        md.append(Markdown.header("task", "arm", "test NLL (per seed)", "eval NFE", "NFE fwd / bwd per iteration",
                "diverged"));
        for (String[] a : arms) {
            md.append(Markdown.row(List.of(a[0], a[1], Markdown.perSeed(rs.values(a[0], a[1], "nll")),
                    Markdown.meanSd(rs.values(a[0], a[1], "nfe.eval")),
                    Markdown.meanSd(rs.values(a[0], a[1], "nfe.train.forward")) + " / "
                            + Markdown.meanSd(rs.values(a[0], a[1], "nfe.train.backward")),
                    String.valueOf((int) java.util.Arrays.stream(rs.values(a[0], a[1], "diverged")).sum()))));
        }
    }
}
