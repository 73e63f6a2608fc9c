package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/**
 * A chain of modules applied in order. Child i's parameters are named {@code layers.i.<name>}, so a
 * Linear → tanh → Linear chain has {@code layers.0.weight}, {@code layers.0.bias}, {@code layers.2.weight},
 * {@code layers.2.bias}.
 */
public final class Sequential implements Module {
    private final List<Module> layers;
    private final List<Parameter> parameters;
    private final boolean tanhMlp;

    public Sequential(List<? extends Module> layers) {
        this.layers = List.copyOf(layers);
        this.parameters = Containers.prefixedParameters(this.layers);
        this.tanhMlp = isTanhMlp(this.layers);
    }

    /** Biased Linear, TANH, biased Linear, …, ending with a Linear. */
    private static boolean isTanhMlp(List<Module> layers) {
        if (layers.size() % 2 == 0) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            boolean ok = i % 2 == 0 ? m instanceof Linear && ((Linear) m).bias().isPresent() : m == Activation.TANH;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private List<Tensor> weights() {
        List<Tensor> w = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i += 2) {
            w.add(((Linear) layers.get(i)).weight().value());
        }
        return w;
    }

    private List<Tensor> biases() {
        List<Tensor> b = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i += 2) {
            b.add(((Linear) layers.get(i)).bias().get().value());
        }
        return b;
    }

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /** The children, in order. */
    public List<Module> layers() {
        return layers;
    }

    /**
     * Applies the layers in order, with the same values as one by one but fused where the pattern allows. A whole
     * tanh MLP (biased Linear, TANH, …, biased Linear) on a [B, in] input runs as one op ({@link Ops#mlpTanh}),
     * whose backward pass allocates only the gradients it returns. Otherwise a {@link Linear} directly followed by
     * {@link Activation#TANH} runs as one op ({@link Linear#forwardTanh}), one array and one pass fewer.
     */
    @Override
    public Tensor forward(Tensor x) {
        if (tanhMlp && x.rank() == 2 && x.dim(1) == ((Linear) layers.get(0)).in()) {
            return Ops.mlpTanh(x, weights(), biases());
        }
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
