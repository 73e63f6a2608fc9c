package org.neuralode4j.ode;

import java.util.List;
import org.neuralode4j.tensor.Tensor;

/**
 * How a solve is differentiated (gradients.md): the method runs the forward solve and decides what the graph
 * records — every solver operation (direct), or one node whose rule runs a backward solve (the adjoints).
 * Implementations live in {@code sensitivity}; a solve receives one as an object, so no solver knows which.
 */
public interface GradientMethod {
    /** Solves the problem (already checked by {@link Ode}) and returns outputs differentiable per this method. */
    Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg);

    /** Short name for reports: direct, adjoint, interpolated. */
    String name();
}
