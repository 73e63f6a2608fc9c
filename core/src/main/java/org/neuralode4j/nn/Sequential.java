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

    /**
     * Applies the layers in order. A {@link Linear} directly followed by {@link Activation#TANH} runs as one fused
     * op ({@link Linear#forwardTanh}), which computes the same values with one array and one pass fewer.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Linear && i + 1 < layers.size() && layers.get(i + 1) == Activation.TANH) {
                y = ((Linear) m).forwardTanh(y);
                i++;
            } else {
                y = m.forward(y);
            }
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
