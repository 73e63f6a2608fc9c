package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.tensor.Tensor;

/**
 * The accepted steps of a finished batch-wide or fixed-step solve, re-run on demand over any span of steps
 * (gradients.md §5.2 "step replay", used by {@link Checkpointed}).
 *
 * <p>A span is solved as a fixed grid made of the forward's step boundaries, with the forward's tableau and its
 * dense output for outputs inside a step, so no step-size control runs again and the same steps are taken. The
 * replay reproduces the forward's values to round-off, not bit for bit: a step's size is re-derived as
 * t_{k+1} − t_k (the controller's h can differ from it in the last bit) and stages with c = 1 are evaluated at
 * t_{k+1} rather than at the double below it under the torchdiffeq preset's perturbation.
 */
final class StepReplay {
    private final Dynamics f;
    private final List<String> names;
    private final SolverConfig forward;
    private final double[] grid;      // step boundaries g_0..g_N, true time
    private final double[] times;     // output times τ_0..τ_M
    private final int[] owner;        // the step that emits output j (j ≥ 1): the first whose end reaches τ_j

    /** The states a span produced: its end state and the outputs emitted by its steps. */
    record Span(List<Tensor> end, List<Integer> outputIndex, List<List<Tensor>> outputs) {}

    StepReplay(Dynamics f, List<String> names, Solution values, SolverConfig forward) {
        this.f = f;
        this.names = names;
        this.forward = forward;
        this.times = values.times();
        double[][] steps = values.stepSequence();
        if (steps.length == 0) {
            throw new IllegalStateException("step replay: the forward solve recorded no steps");
        }
        grid = new double[steps.length + 1];
        for (int i = 0; i < steps.length; i++) {
            grid[i] = steps[i][0];
        }
        int last = steps.length - 1;
        // Steps clipped to t1 end on it exactly; under STEP_PAST_END the last step ends beyond it.
        double end = steps[last][0] + steps[last][1];
        double t1 = times[times.length - 1];
        boolean pastEnd = forward.isAdaptive() && forward.stepControl().stops().pastEnd();
        grid[steps.length] = pastEnd ? end : t1;
        double sign = Math.signum(t1 - times[0]);
        owner = new int[times.length];
        int step = 0;
        for (int j = 1; j < times.length; j++) {
            while (step < last && sign * times[j] > sign * grid[step + 1]) {
                step++;
            }
            owner[j] = step;
        }
    }

    /** Number of accepted steps N. */
    int steps() {
        return grid.length - 1;
    }

    /** Number of output times, τ_0 included. */
    int outputCount() {
        return times.length;
    }

    /**
     * Re-runs steps [a, b) from state {@code y} at the start of step a, recorded or not as the caller's grad mode
     * says; {@code withOutputs} also emits the outputs these steps own (else only the end state is computed).
     */
    Span run(int a, int b, List<Tensor> y, boolean withOutputs, long[] nfe) {
        List<Double> t = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        t.add(grid[a]);
        boolean endIsOutput = false;
        if (withOutputs) {
            for (int j = 1; j < times.length; j++) {
                if (owner[j] >= a && owner[j] < b) {
                    if (times[j] == grid[b]) {
                        endIsOutput = true;
                    } else {
                        t.add(times[j]);
                    }
                    index.add(j);
                }
            }
        }
        t.add(grid[b]);
        double[] spanTimes = t.stream().mapToDouble(Double::doubleValue).toArray();
        double[] spanGrid = new double[b - a + 1];
        System.arraycopy(grid, a, spanGrid, 0, spanGrid.length);
        Solution s = Ode.solveRecorded(f, y, names, spanTimes, config(spanGrid));
        nfe[0] += s.stats().nfe();
        List<List<Tensor>> outs = new ArrayList<>(index.size());
        for (int k = 0; k < index.size(); k++) {
            outs.add(k == index.size() - 1 && endIsOutput ? s.last() : s.state(k + 1));
        }
        return new Span(s.last(), index, outs);
    }

    /** Values only: the state at the start of step b from the state at the start of step a. */
    List<Tensor> advance(int a, int b, List<Tensor> y, long[] nfe) {
        if (a == b) {
            return y;
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return run(a, b, y, false, nfe).end();
        }
    }

    /** A fixed grid with the forward's tableau; outputs inside a step from its interpolant, as the forward did. */
    private SolverConfig config(double[] spanGrid) {
        FixedSteps.Interpolation interp = forward.isAdaptive() ? FixedSteps.Interpolation.HERMITE
                : forward.fixedSteps().interpolation();
        FixedSteps steps = FixedSteps.ofGrid(spanGrid).withLayout(FixedSteps.Layout.ALIGNED, interp);
        return new SolverConfig(forward.tableau(), null, steps, forward.limits(), BatchMode.BATCH_WIDE, false,
                SolveException.Phase.FORWARD);
    }
}
