package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.tensor.DType;
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

    /**
     * Converts every parameter to {@code dtype} (f64 → f32 rounds to nearest) and returns this, so a module is
     * built, initialised in float64 draws, then given its precision: {@code Mlp.of(...).to(DType.F32)}. The
     * values equal those an initialiser drawing in that dtype would give ({@code Rng} rounds the same draws).
     */
    default Parameterized to(DType dtype) {
        for (Parameter p : parameters()) {
            p.convertTo(dtype);
        }
        return this;
    }

    /** The parameters' common dtype (f64 when there are none); mixed dtypes are an error naming two parameters. */
    default DType dtype() {
        DType d = null;
        Parameter first = null;
        for (Parameter p : parameters()) {
            if (d == null) {
                d = p.dtype();
                first = p;
            } else if (p.dtype() != d) {
                throw new org.neuralode4j.NeuralOdeException("parameters '" + first.name() + "' (" + d.label() + ") and '"
                        + p.name() + "' (" + p.dtype().label() + ") differ in dtype; convert the module with to(dtype)");
            }
        }
        return d == null ? DType.F64 : d;
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
