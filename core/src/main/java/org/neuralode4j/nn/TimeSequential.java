package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.tensor.Tensor;

/**
 * A chain of time-conditioned modules sharing one time t: the shape of an ODE field f(t, z) built from layers
 * such as {@link ConcatSquashLinear} with activations in between (lift parameter-free or time-independent
 * modules with {@link TimeModule#ignoringTime}). Child i's parameters are named {@code layers.i.<name>}.
 */
public final class TimeSequential implements TimeModule {
    private final List<TimeModule> layers;
    private final List<Parameter> parameters;

    public TimeSequential(List<? extends TimeModule> layers) {
        this.layers = List.copyOf(layers);
        this.parameters = Containers.prefixedParameters(this.layers);
    }

    /** The children, in order. */
    public List<TimeModule> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor t, Tensor x) {
        Tensor y = x;
        for (TimeModule m : layers) {
            y = m.forward(t, y);
        }
        return y;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "TimeSequential" + layers;
    }
}
