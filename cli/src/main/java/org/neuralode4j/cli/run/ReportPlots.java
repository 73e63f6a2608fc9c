package org.neuralode4j.cli.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.EpochMetrics;

/** The run's pictures: decision regions with the data, trajectories of test points, NFE and loss per epoch. */
final class ReportPlots {
    private ReportPlots() {}

    static void write(OutputDir out, NodeClassifier model, ClassifierRun.Setup s, List<EpochMetrics> history,
                      SolverConfig solver) {
        int n = history.size();
        double[] fwd = new double[n];
        double[] bwd = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            fwd[i] = history.get(i).meanNfeForward();
            bwd[i] = history.get(i).meanNfeBackward();
            loss[i] = history.get(i).loss();
        }
        Map<String, double[]> nfe = new LinkedHashMap<>();
        nfe.put("forward NFE / iteration", fwd);
        nfe.put("backward NFE / iteration", bwd);
        draw("nfe.png", () -> Plots.curve(out.path("nfe.png"), "NFE per iteration (" + s.solver().gradient + ")", "epoch", "NFE", nfe));
        draw("loss.png", () -> Plots.curve(out.path("loss.png"), "training loss", "epoch", "loss", Map.of("loss", loss)));
        if (model.inputDim() != 2) {
            return;
        }
        LabelledSet test = s.test();
        double[][] pts = test.x().toArray2d();
        double[] xr = range(pts, 0);
        double[] yr = range(pts, 1);
        draw("decision_regions.png", () -> Plots.decisionRegions(out.path("decision_regions.png"), "decision regions (test data)", xr, yr, 80, grid -> {
            LabelledSet g = new LabelledSet(Tensor.of(grid), new int[grid.length]);
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Tensor logits = model.logits(model.flow(g.x(), solver, new Direct()));
                double[] p = new double[grid.length];
                int k = model.classes() == 2 ? 1 : model.classes();
                for (int i = 0; i < p.length; i++) {
                    p[i] = k == 1 ? 1 / (1 + Math.exp(-logits.getFlat(i))) : (double) argmaxRow(logits, i) / (k - 1);
                }
                return p;
            }
        }, pts, test.labels()));
        int shown = Math.min(200, test.size());
        int[] idx = new int[shown];
        for (int i = 0; i < shown; i++) {
            idx[i] = i;
        }
        LabelledSet some = test.rows(idx);
        int steps = 40;
        double[] times = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            times[k] = k / (double) steps;
        }
        double[][][] paths = new double[shown][steps + 1][2];
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution sol = Ode.solve(model.dynamics(), List.of(model.initialState(some.x())), times, solver, new Direct());
            for (int k = 0; k <= steps; k++) {
                Tensor z = sol.state(k).get(0);
                int d = z.dim(1);
                for (int i = 0; i < shown; i++) {
                    paths[i][k][0] = z.getFlat(i * d);
                    paths[i][k][1] = z.getFlat(i * d + 1);
                }
            }
        }
        draw("trajectories.png", () -> Plots.trajectories(out.path("trajectories.png"),
                "trajectories of test points (first two coordinates)", paths, some.labels()));
    }

    private interface Drawing {
        void run() throws IOException;
    }

    private static void draw(String name, Drawing d) {
        try {
            d.run();
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + name + ": " + e.getMessage());
        }
    }

    private static int argmaxRow(Tensor logits, int row) {
        int k = logits.dim(1);
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (logits.getFlat(row * k + j) > logits.getFlat(row * k + best)) {
                best = j;
            }
        }
        return best;
    }

    private static double[] range(double[][] pts, int c) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] p : pts) {
            lo = Math.min(lo, p[c]);
            hi = Math.max(hi, p[c]);
        }
        double pad = 0.1 * (hi - lo) + 1e-9;
        return new double[] {lo - pad, hi + pad};
    }
}
