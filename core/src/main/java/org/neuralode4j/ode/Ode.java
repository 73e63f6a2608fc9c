package org.neuralode4j.ode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.ode.loop.BatchWideLoop;
import org.neuralode4j.ode.loop.FixedStepLoop;
import org.neuralode4j.ode.loop.PerSampleLoop;
import org.neuralode4j.tensor.Tensor;

/**
 * Entry point: solve an initial-value problem. Checks the problem and the configuration first, then runs the
 * loop the configuration asks for. The solve is recorded like any other computation, so a loss on its outputs
 * can be backpropagated through every step (direct differentiation).
 */
public final class Ode {
    private Ode() {}

    /** Solves dy/dt = f(t, y), y(times[0]) = y0, returning the state at every output time. */
    public static Solution solve(Dynamics f, List<Tensor> y0, double[] times, SolverConfig cfg) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < y0.size(); i++) {
            names.add(y0.size() == 1 ? "y" : "y" + i);
        }
        return solve(f, y0, names, times, cfg);
    }

    /** Single-tensor convenience: y0 [B, ...] from t0 to t1. */
    public static Solution solve(Dynamics f, Tensor y0, double t0, double t1, SolverConfig cfg) {
        return solve(f, List.of(y0), new double[] {t0, t1}, cfg);
    }

    /** As {@link #solve(Dynamics, List, double[], SolverConfig)}, with names for the components in messages. */
    public static Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg) {
        check(y0, names, times, cfg, f);
        return solveRecorded(f, y0, names, times, cfg);
    }

    /** Solves and differentiates with the given method (direct, backsolve adjoint, interpolated adjoint). */
    public static Solution solve(Dynamics f, List<Tensor> y0, double[] times, SolverConfig cfg, GradientMethod method) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < y0.size(); i++) {
            names.add(y0.size() == 1 ? "y" : "y" + i);
        }
        return solve(f, y0, names, times, cfg, method);
    }

    /** As above, with component names for messages. */
    public static Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg,
                                 GradientMethod method) {
        check(y0, names, times, cfg, f);
        return method.solve(f, y0, names, times, cfg);
    }

    /**
     * Runs the configured loop with recording as the caller's grad mode says: the direct method, and the
     * gradient methods' own forward and backward solves. Does not re-check the problem.
     */
    public static Solution solveRecorded(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg) {
        if (!cfg.isAdaptive()) {
            return new FixedStepLoop(cfg).solve(f, y0, times, names);
        }
        if (cfg.batchMode() == BatchMode.PER_SAMPLE) {
            return new PerSampleLoop(cfg).solve(f, y0, times, names);
        }
        return new BatchWideLoop(cfg).solve(f, y0, times, names);
    }

    private static void check(List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg, Dynamics f) {
        if (y0.isEmpty()) {
            throw new ConfigException("solve: the initial state has no components");
        }
        if (names.size() != y0.size()) {
            throw new ConfigException("solve: " + names.size() + " names for " + y0.size() + " state components");
        }
        int batch = -1;
        for (int c = 0; c < y0.size(); c++) {
            Tensor t = y0.get(c);
            if (t.rank() < 1) {
                throw new ConfigException("solve: component " + names.get(c) + " has shape " + t.shape()
                        + "; states are [B, ...] with the batch first");
            }
            // Batch-wide solves allow components with other leading sizes (e.g. parameter adjoints [1, P]);
            // per-sample control needs every component to share the batch.
            if (batch >= 0 && t.dim(0) != batch && cfg.batchMode() == BatchMode.PER_SAMPLE) {
                throw new ConfigException("solve: component " + names.get(c) + " has batch " + t.dim(0) + ", component "
                        + names.get(0) + " has " + batch);
            }
            batch = t.dim(0);
        }
        if (times.length < 2) {
            throw ConfigException.of("times", Arrays.toString(times), "need at least t0 and t1");
        }
        double dir = Math.signum(times[times.length - 1] - times[0]);
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i])) {
                throw ConfigException.of("times", Arrays.toString(times), "must be finite");
            }
            if (i > 0 && (dir == 0 || Math.signum(times[i] - times[i - 1]) != dir)) {
                throw ConfigException.of("times", Arrays.toString(times), "must be strictly monotone");
            }
        }
        if (cfg.batchMode() == BatchMode.PER_SAMPLE && !f.rowIndependent()) {
            throw ConfigException.of("batchMode", "PER_SAMPLE", "needs dynamics whose rows are independent"
                    + " (Dynamics.rowIndependent() is false for this field)");
        }
    }
}
