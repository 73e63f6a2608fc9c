package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/**
 * Elementwise activations, as parameter-free modules so that they can sit in a {@link Sequential}. Every one is
 * built from recorded ops with smooth second derivatives except RELU (piecewise linear: its second derivative
 * is zero almost everywhere), which matters for Jacobian penalties.
 */
public enum Activation implements Module {
    TANH,
    /** ln(1 + eˣ), whose derivative is sig(x). */
    SOFTPLUS,
    RELU,
    SIGMOID,
    IDENTITY;

    /** The activation applied elementwise; any shape. */
    public Tensor apply(Tensor x) {
        switch (this) {
            case TANH:
                return Ops.tanh(x);
            case SOFTPLUS:
                return Ops.softplus(x);
            case RELU:
                return Ops.relu(x);
            case SIGMOID:
                return Ops.sigmoid(x);
            case IDENTITY:
                return x;
            default:
                throw new AssertionError(this);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }
}
