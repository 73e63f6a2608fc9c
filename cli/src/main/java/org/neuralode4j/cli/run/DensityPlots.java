package org.neuralode4j.cli.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.DensityGrid;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The pictures of a density run (cnf.md §5): data against model samples, the model density on a grid, trajectories
 * from data to the base distribution, and NLL and NFE per iteration. Each PNG is written atomically.
 */
final class DensityPlots {
    /** A figure that may fail to write. */
    interface Drawing {
        void run() throws IOException;
    }

    /**
     * What the density grid said.
     *
     * @param mass    Σ p·Δx·Δy over the grid (null when no grid was drawn)
     * @param warning set when the mass exceeds {@link DensityGrid#MASS_LIMIT}
     */
    record Result(Double mass, String warning) {}

    /** Box of the built-in toys' figures (FFJORD's [−4, 4]²). */
    static final double[] TOY_RANGE = {-DensityGrid.DEFAULT_BOX, DensityGrid.DEFAULT_BOX};

    private DensityPlots() {}

    static Result write(OutputDir out, ContinuousFlow flow, DensityRun.Setup s, List<Map<String, Object>> iterations,
                        List<Map<String, Object>> evaluations, boolean withTrueNll) {
        curves(out, iterations, evaluations, withTrueNll);
        Tensor data = s.data().heldOut();
        if (data.dim(1) < 2) {
            return new Result(null, null);
        }
        double[][] box = s.data().builtIn() ? new double[][] {TOY_RANGE, TOY_RANGE} : box(data);
        SolverConfig solver = s.evalSolver();
        samples(out, flow, data, s.samplePoints(), Rng.seeded(s.seed() + 400), solver, box,
                s.data().name());
        trajectories(out, flow, data, solver);
        if (data.dim(1) != 2) {
            return new Result(null, null);
        }
        return density(out, flow, s.gridPoints(), box, solver);
    }

    /** nll.png and nfe.png (nothing before the first iteration). */
    static void curves(OutputDir out, List<Map<String, Object>> iterations, List<Map<String, Object>> evaluations,
                       boolean withTrueNll) {
        int n = iterations.size();
        if (n == 0) {
            return;
        }
        double[] it = new double[n];
        double[] nll = new double[n];
        double[] fwd = new double[n];
        double[] bwd = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = iterations.get(i);
            it[i] = ((Number) m.get("iteration")).doubleValue();
            nll[i] = ((Number) m.get("nll")).doubleValue();
            fwd[i] = ((Number) m.get("nfe_forward")).doubleValue();
            bwd[i] = ((Number) m.get("nfe_backward")).doubleValue();
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("training NLL (batch)", new double[][] {it, nll});
        double[] ex = new double[evaluations.size()];
        double[] ey = new double[evaluations.size()];
        for (int i = 0; i < ex.length; i++) {
            ex[i] = ((Number) evaluations.get(i).get("iteration")).doubleValue();
            ey[i] = ((Number) evaluations.get(i).get("nll")).doubleValue();
        }
        series.put("held-out NLL", new double[][] {ex, ey});
        if (withTrueNll && !evaluations.isEmpty()) {
            double t = ((Number) evaluations.get(0).get("true_nll")).doubleValue();
            series.put("true mixture NLL", new double[][] {{0, it[n - 1]}, {t, t}});
        }
        DensityRun.draw("nll.png", () -> Plots.lines(out.path("nll.png"), "negative log-likelihood (nats per point)",
                "iteration", "NLL", series, false));
        Map<String, double[][]> nfe = new LinkedHashMap<>();
        nfe.put("forward NFE", new double[][] {it, fwd});
        boolean anyBackward = java.util.Arrays.stream(bwd).anyMatch(v -> v > 0);
        nfe.put(anyBackward ? "backward NFE" : "backward NFE (none: direct)", new double[][] {it, bwd});
        DensityRun.draw("nfe.png", () -> Plots.lines(out.path("nfe.png"), "function evaluations per training iteration",
                "iteration", "NFE", nfe, false));
    }

    /** samples.png: held-out data next to model samples (first two coordinates). */
    static void samples(OutputDir out, ContinuousFlow flow, Tensor data, int n, Rng rng, SolverConfig solver,
                        double[][] box, String dataName) {
        int shown = Math.min(n, data.dim(0));
        Tensor x = flow.sample(n, rng, solver, false).x();
        Map<String, double[][]> panels = new LinkedHashMap<>();
        panels.put("data (" + shown + " held-out points)", Plots.rows(rowsOf(data, shown)));
        panels.put("model samples (" + n + ")", Plots.rows(x));
        DensityRun.draw("samples.png", () -> Plots.scatterPanels(out.path("samples.png"),
                "data vs samples: " + shortName(dataName), panels, box[0], box[1]));
    }

    /** trajectories.png: data points carried to the base distribution. */
    static void trajectories(OutputDir out, ContinuousFlow flow, Tensor data, SolverConfig solver) {
        Tensor x = rowsOf(data, Math.min(DensityRun.TRAJECTORY_PATHS, data.dim(0)));
        List<Tensor> states = flow.trajectory(x, solver, DensityRun.TRAJECTORY_POINTS);
        double[][][] paths = Plots.paths(states);
        String t = String.format(Locale.ROOT, "trajectories: data (rings, t = 0) to base N(0, I) (dots, t = %s)",
                endTimeLabel(flow));
        DensityRun.draw("trajectories.png", () -> Plots.trajectories(out.path("trajectories.png"), t, paths, null));
    }

    /** density.png: p = exp(log p) on an npts × npts grid over the box (cnf.md §5.1–5.3). */
    static Result density(OutputDir out, ContinuousFlow flow, int npts, double[][] box, SolverConfig solver) {
        double[] xs = linspace(box[0], npts);
        double[] ys = linspace(box[1], npts);
        double[] pts = new double[2 * npts * npts];
        for (int iy = 0; iy < npts; iy++) {
            for (int ix = 0; ix < npts; ix++) {
                int k = iy * npts + ix;
                pts[2 * k] = xs[ix];
                pts[2 * k + 1] = ys[iy];
            }
        }
        double[] logp = flow.evaluate(Tensor.of(pts, npts * npts, 2), solver, Rng.seeded(0), DensityRun.CHUNK).logDensities();
        double dx = xs[1] - xs[0];
        double dy = ys[1] - ys[0];
        double[][] p = new double[npts][npts];
        double mass = 0;
        for (int iy = 0; iy < npts; iy++) {
            for (int ix = 0; ix < npts; ix++) {
                p[ix][iy] = Math.exp(logp[iy * npts + ix]);
                mass += p[ix][iy];
            }
        }
        mass *= dx * dy;
        String warning = mass > DensityGrid.MASS_LIMIT ? String.format(Locale.ROOT, "density mass %.4f > %.2f on the"
                + " grid: likely a sign error in the log-density channel, or a Hutchinson estimate used for plotting", mass,
                DensityGrid.MASS_LIMIT) : null;
        double[] xr = {box[0][0] - dx / 2, box[0][1] + dx / 2};
        double[] yr = {box[1][0] - dy / 2, box[1][1] + dy / 2};
        String title = String.format(Locale.ROOT, "model density p(x) on a %d² grid (mass %.3f)", npts, mass);
        DensityRun.draw("density.png", () -> Plots.densityHeatmap(out.path("density.png"), title, xr, yr, p));
        return new Result(mass, warning);
    }

    /** A square box around the first two columns of the data, 10 % padding. */
    static double[][] box(Tensor data) {
        int d = data.dim(1);
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < data.dim(0); i++) {
            for (int c = 0; c < 2; c++) {
                double v = data.getFlat(i * d + c);
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
        double half = Math.max(Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2 * 1.1, 1e-6);
        double cx = (lo[0] + hi[0]) / 2;
        double cy = (lo[1] + hi[1]) / 2;
        return new double[][] {{cx - half, cx + half}, {cy - half, cy + half}};
    }

    private static double[] linspace(double[] r, int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r[0] + (r[1] - r[0]) * j / (n - 1);
        }
        return v;
    }

    static Tensor rowsOf(Tensor x, int n) {
        if (n >= x.dim(0)) {
            return x;
        }
        int d = x.dim(1);
        double[] v = new double[n * d];
        x.copyTo(0, v, 0, n * d);
        return Tensor.of(v, n, d);
    }

    private static String endTimeLabel(ContinuousFlow flow) {
        double total = 0;
        for (double t : flow.endTimes()) {
            total += t;
        }
        return String.format(Locale.ROOT, "%.3g", total);
    }

    private static String shortName(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return slash >= 0 ? name.substring(slash + 1) : name;
    }
}
