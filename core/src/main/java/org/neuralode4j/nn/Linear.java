package org.neuralode4j.nn;

import java.util.List;
import java.util.Optional;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * Fully connected layer y = x Wᵀ + b: x [B, in] → y [B, out] (any leading batch axes, rank ≤ 3).
 *
 * <p>The weight is stored [out, in], PyTorch's layout, so that weights can be exchanged with reference
 * implementations unchanged; the product uses the transposed-operand matmul rather than a stored transpose.
 * Parameters {@code weight} [out, in] and, optionally, {@code bias} [out], both initialised by {@link Init}
 * with fan_in = in.
 */
public final class Linear implements Module {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final List<Parameter> parameters;

    /**
     * @param in   input features
     * @param out  output features
     * @param bias whether to add a bias
     * @param rng  source of the initial weights (weight drawn first, then bias)
     */
    public Linear(int in, int out, boolean bias, Rng rng) {
        if (in < 1 || out < 1) {
            throw new NeuralOdeException("Linear: in and out must be >= 1, got " + in + ", " + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter("weight", Init.uniform(rng, in, out, in));
        this.bias = bias ? new Parameter("bias", Init.uniform(rng, in, out)) : null;
        this.parameters = bias ? List.of(weight, this.bias) : List.of(weight);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** [out], when the layer has one. */
    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    /** x [..., in] → [..., out]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(-1) != in) {
            throw ShapeException.of("Linear(" + in + " -> " + out + ")", "expected input [B, " + in + "]",
                    x.shape(), weight.shape());
        }
        if (x.rank() == 2) {
            return Ops.linear(x, weight.value(), bias == null ? null : bias.value());
        }
        Tensor y = Ops.matmul(x, weight.value(), false, true);
        return bias == null ? y : Ops.add(y, bias.value());
    }

    /** tanh(forward(x)) as one fused op for [B, in] inputs ({@link Ops#linearTanh}); same values. */
    public Tensor forwardTanh(Tensor x) {
        if (x.rank() != 2 || x.dim(-1) != in) {
            return Ops.tanh(forward(x));
        }
        return Ops.linearTanh(x, weight.value(), bias == null ? null : bias.value());
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias)" : ")");
    }
}
