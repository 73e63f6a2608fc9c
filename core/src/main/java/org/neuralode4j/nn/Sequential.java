package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.tensor.Tensor;

/**
 * A chain of modules applied in order. Child i's parameters are named {@code layers.i.<name>}, so a
 * Linear → tanh → Linear chain has {@code layers.0.weight}, {@code layers.0.bias}, {@code layers.2.weight},
 * {@code layers.2.bias}.
 */
public final class Sequential implements Module {
    private final List<Module> layers;
    private final List<Parameter> parameters;

    public Sequential(List<? extends Module> layers) {
        this.layers = List.copyOf(layers);
        this.parameters = Containers.prefixedParameters(this.layers);
    }

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /** The children, in order. */
    public List<Module> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) {
            y = m.forward(y);
        }
        return y;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "Sequential" + layers;
    }
}
