package org.neuralode4j.ode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.dense.DenseTrajectory;
import org.neuralode4j.tensor.Tensor;

/**
 * The result of a solve (solvers.md §6): the output times, the state at each (differentiable per the gradient
 * method), per-sample status, statistics, the accepted step sequence and, when requested, dense output.
 */
public final class Solution {
    private final double[] times;
    private final List<List<Tensor>> outputs; // [output j][component]
    private final SampleStatus[] status;
    private final SolveStats stats;
    private final DenseTrajectory dense;
    private final double[] stepStarts;
    private final double[] stepSizes;

    public Solution(double[] times, List<List<Tensor>> outputs, SampleStatus[] status, SolveStats stats,
                    DenseTrajectory dense, double[] stepStarts, double[] stepSizes) {
        this.times = times.clone();
        List<List<Tensor>> copy = new ArrayList<>(outputs.size());
        for (List<Tensor> o : outputs) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(o)));
        }
        this.outputs = Collections.unmodifiableList(copy);
        this.status = status.clone();
        this.stats = stats;
        this.dense = dense;
        this.stepStarts = stepStarts.clone();
        this.stepSizes = stepSizes.clone();
    }

    /** The output times τ_0 = t0, …, τ_N = t1. */
    public double[] times() {
        return times.clone();
    }

    /** Number of output times (N + 1). */
    public int outputCount() {
        return times.length;
    }

    /** The state components at output j. */
    public List<Tensor> state(int j) {
        return outputs.get(j);
    }

    /** The state components at t1. */
    public List<Tensor> last() {
        return outputs.get(outputs.size() - 1);
    }

    /** Component {@code c} at t1. */
    public Tensor last(int c) {
        return last().get(c);
    }

    /** Component c at every output time, stacked into [N+1, B, ...] (component rank ≤ 3). */
    public Tensor stacked(int c) {
        List<Tensor> parts = new ArrayList<>(outputs.size());
        for (List<Tensor> o : outputs) {
            parts.add(o.get(c));
        }
        return Ops.stack(parts, 0);
    }

    public SampleStatus[] status() {
        return status.clone();
    }

    public SolveStats stats() {
        return stats;
    }

    /** True when dense output was requested. */
    public boolean hasDense() {
        return dense != null;
    }

    /** The state at any t in the solved span (requires dense output). */
    public List<Tensor> evaluate(double t) {
        return denseOrFail().evaluate(t);
    }

    /** dy/dt at any t in the solved span (requires dense output). */
    public List<Tensor> derivative(double t) {
        return denseOrFail().derivative(t);
    }

    /** The dense trajectory, or null. */
    public DenseTrajectory dense() {
        return dense;
    }

    private DenseTrajectory denseOrFail() {
        if (dense == null) {
            throw new ConfigException("evaluate(t) needs dense output: solve with SolverConfig.withDense(true)");
        }
        return dense;
    }

    /**
     * The accepted steps as (start, size) in true time (batch-wide solves); reusable as a user grid
     * to replay the same steps.
     */
    public double[][] stepSequence() {
        double[][] s = new double[stepStarts.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new double[] {stepStarts[i], stepSizes[i]};
        }
        return s;
    }
}
