package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.tensor.Tensor;

/**
 * Anything that owns trainable parameters: the common base of {@link Module} (a function of x) and
 * {@link TimeModule} (a function of t and x), so that optimisers, initialisers and {@link ParameterFile} work
 * on both.
 */
public interface Parameterized {
    /**
     * The parameters in a fixed order, with unique hierarchical names ({@code layers.0.weight}). Containers
     * return the same {@link Parameter} objects on every call, so optimiser state keyed by them persists.
     */
    List<Parameter> parameters();

    /** The current values as gradient-requiring leaves, in {@link #parameters()} order: the inputs of {@code Autograd.grad}. */
    default List<Tensor> parameterTensors() {
        List<Parameter> ps = parameters();
        List<Tensor> out = new ArrayList<>(ps.size());
        for (Parameter p : ps) {
            out.add(p.value());
        }
        return out;
    }

    /** Total number of scalar parameters. */
    default int parameterCount() {
        int n = 0;
        for (Parameter p : parameters()) {
            n += p.shape().size();
        }
        return n;
    }
}
