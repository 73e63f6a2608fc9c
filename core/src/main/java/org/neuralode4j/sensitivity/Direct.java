package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Tensor;

/**
 * DIRECT (discretise-then-optimise, gradients.md §1): every stage, RK combination and interpolated output is
 * recorded, and reverse mode runs through them. The gradient is exact for the discrete map the solver took;
 * step sizes and accept/reject decisions are not differentiated. No backward evaluations of f; memory grows
 * with the number of accepted steps (reported as the bytes of the recorded results).
 */
public record Direct() implements GradientMethod {
    @Override
    public Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg) {
        Solution sol = Ode.solveRecorded(f, y0, names, times, cfg);
        List<Tensor> outs = new ArrayList<>();
        for (int j = 0; j < sol.outputCount(); j++) {
            outs.addAll(sol.state(j));
        }
        long[] fp = Autograd.footprint(outs);
        sol.stats().setBackward(new SolveStats.Backward(0, 0, 0, fp[1], Double.NaN));
        return sol;
    }

    @Override
    public String name() {
        return "direct";
    }
}
