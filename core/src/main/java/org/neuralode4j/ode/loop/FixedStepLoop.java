package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.SampleStatus;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.dense.DenseTrajectory;
import org.neuralode4j.ode.dense.Interpolants;
import org.neuralode4j.ode.dense.Segment;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Tensor;

/**
 * Fixed-step solve (solvers.md §4): a grid built from a step size, a step count or a user grid, outputs on grid
 * points (ALIGNED) or interpolated inside steps (TORCHDIFFEQ_GRID, user grids).
 */
public final class FixedStepLoop {
    private final SolverConfig cfg;
    private final Tableau tab;
    private final FixedSteps fs;

    public FixedStepLoop(SolverConfig cfg) {
        this.cfg = cfg;
        this.tab = cfg.tableau();
        this.fs = cfg.fixedSteps();
    }

    public Solution solve(Dynamics f, List<Tensor> y0, double[] times, List<String> names) {
        double sign = times[times.length - 1] >= times[0] ? 1.0 : -1.0;
        double[] s = new double[times.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sign * times[i];
        }
        double[] grid = grid(s, sign);
        Field field = new Field(f, sign, names);
        StepGuard guard = new StepGuard(cfg, field);
        int steps = grid.length - 1;
        guard.checkFinite("the initial state", grid[0], 0, Double.NaN, StepGuard.Progress.start(-1), y0, null);
        RkStepper stepper = new RkStepper(tab, field, false, cfg.phase());
        boolean hermite = fs.interpolation() == FixedSteps.Interpolation.HERMITE;

        List<List<Tensor>> outputs = new ArrayList<>(times.length);
        outputs.add(y0);
        List<Segment> segments = cfg.dense() ? new ArrayList<>() : null;
        List<Tensor> y = y0;
        List<Tensor> k1 = null;
        int nextOut = 1;
        double[] starts = new double[grid.length - 1];
        double[] sizes = new double[grid.length - 1];
        for (int i = 0; i + 1 < grid.length; i++) {
            double t = grid[i];
            double tNew = grid[i + 1];
            double h = tNew - t;
            StepGuard.Progress progress = new StepGuard.Progress(-1, i + 1, i > 0 ? sizes[i - 1] : Double.NaN, Double.NaN, i, 0);
            if (k1 == null) {
                k1 = evalChecked(field, guard, t, y, h, progress);
            }
            RkStepper.Attempt att = stepper.attempt(t, h, y, k1, false, i + 1, Double.NaN, Double.NaN);
            guard.checkFinite("the new state", t, 0, h, progress, att.yNew(), null);
            List<List<Tensor>> ks = att.k();
            List<Tensor> kEnd = null;
            if (stepper.defersLastStage()) {
                kEnd = stepper.finishStage(t, h, att.yNew(), i + 1);
                ks = new ArrayList<>(ks);
                ks.add(kEnd);
            } else if (stepper.fsal()) {
                kEnd = ks.get(ks.size() - 1);
            }
            boolean inside = nextOut < s.length && s[nextOut] < tNew;
            Segment seg = null;
            if (segments != null || (inside && hermite)) {
                List<Tensor> f1 = null;
                if (Interpolants.needsEndDerivative(tab)) {
                    f1 = evalChecked(field, guard, tNew, att.yNew(), h, progress);
                    kEnd = f1;
                }
                if (Interpolants.needsExtraStages(tab)) {
                    ks = stepper.withDenseStages(t, h, y, ks, i + 1);
                }
                seg = Interpolants.build(tab, t, h, y, att.yNew(), ks, f1);
                if (segments != null) {
                    segments.add(seg);
                }
            }
            while (nextOut < s.length && s[nextOut] <= tNew) {
                if (s[nextOut] == tNew) {
                    outputs.add(att.yNew());
                } else {
                    double theta = (s[nextOut] - t) / h;
                    outputs.add(hermite ? seg.at(theta) : linear(y, att.yNew(), theta));
                }
                nextOut++;
            }
            starts[i] = sign * t;
            sizes[i] = h;
            y = att.yNew();
            k1 = kEnd;
        }
        SampleStatus[] status = new SampleStatus[y0.get(0).dim(0)];
        Arrays.fill(status, SampleStatus.OK);
        DenseTrajectory dense = segments == null ? null : new DenseTrajectory(segments, sign, times[0], times[times.length - 1]);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] *= sign;
        }
        SolveStats stats = new SolveStats(field.calls(), 0, steps, steps, 0, field.rowEvaluations(), steps > 0 ? sizes[0] : 0,
                dense == null ? 0 : dense.bytes(), null, null, null, null);
        return new Solution(times, outputs, status, stats, dense, starts, sizes);
    }

    private static List<Tensor> linear(List<Tensor> y0, List<Tensor> y1, double theta) {
        List<Tensor> out = new ArrayList<>(y0.size());
        for (int c = 0; c < y0.size(); c++) {
            out.add(Ops.linearCombination(new double[] {1 - theta, theta}, y0.get(c), y1.get(c)));
        }
        return out;
    }

    private static List<Tensor> evalChecked(Field field, StepGuard guard, double t, List<Tensor> y, double h,
                                            StepGuard.Progress progress) {
        List<Tensor> k = field.eval(t, y);
        guard.checkFinite("f", t, 1, h, progress, k, null);
        return k;
    }

    /** The step grid in the forward variable. */
    double[] grid(double[] s, double sign) {
        double s0 = s[0];
        double s1 = s[s.length - 1];
        if (fs.userGrid() != null) {
            double[] g = new double[fs.userGrid().length];
            for (int i = 0; i < g.length; i++) {
                g[i] = sign * fs.userGrid()[i];
                if (i > 0 && !(g[i] > g[i - 1])) {
                    throw org.neuralode4j.ode.ConfigException.of("grid", Arrays.toString(fs.userGrid()),
                            "must be strictly monotone in the direction of the solve");
                }
            }
            if (g[0] != s0 || g[g.length - 1] != s1) {
                throw org.neuralode4j.ode.ConfigException.of("grid", Arrays.toString(fs.userGrid()),
                        "must start at t0 = " + sign * s0 + " and end at t1 = " + sign * s1);
            }
            return g;
        }
        double h = Double.isNaN(fs.step()) ? (s1 - s0) / fs.count() : fs.step();
        if (fs.layout() == FixedSteps.Layout.TORCHDIFFEQ_GRID) {
            int n = (int) Math.ceil((s1 - s0) / h);
            List<Double> g = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                g.add(s0 + i * h);
            }
            g.add(s1);
            if (g.size() > 2 && g.get(g.size() - 1) - g.get(g.size() - 2) < 1e-10 * h) {
                g.remove(g.size() - 2);
            }
            return g.stream().mapToDouble(Double::doubleValue).toArray();
        }
        List<Double> g = new ArrayList<>();
        g.add(s0);
        if (fs.count() > 0) {
            // The uniform grid, with any step that contains an output time split at it.
            int n = fs.count();
            int nextOut = 1;
            for (int i = 1; i <= n; i++) {
                double p = i == n ? s1 : s0 + i * (s1 - s0) / n;
                while (nextOut < s.length - 1 && s[nextOut] < p) {
                    if (s[nextOut] > g.get(g.size() - 1)) {
                        g.add(s[nextOut]);
                    }
                    nextOut++;
                }
                g.add(p);
            }
        } else {
            for (int j = 1; j < s.length; j++) {
                double d = s[j] - s[j - 1];
                int m = Math.max(1, (int) Math.ceil(d / h - 1e-9));
                for (int i = 1; i <= m; i++) {
                    g.add(i == m ? s[j] : s[j - 1] + i * d / m);
                }
            }
        }
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
