package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.ConcatConv2d;
import org.neuralode4j.nn.Conv2d;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The convolutional ODE block of workloads.md §3, f(t, h) = conv₂(tanh(conv₁(h))), both 3×3, stride 1,
 * padding 1, with biases. With CONCAT time input each convolution sees a constant-t channel first
 * ({@link ConcatConv2d}). The solver's state is the flattened map [B, side·side·C] (NHWC order), reshaped for the
 * convolutions, so that the error norm runs over all B·C·side² values and regularisers see rows.
 */
final class ConvField implements Dynamics {
    private final int side;
    private final int channels;
    private final boolean timed;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final ConcatConv2d tconv1;
    private final ConcatConv2d tconv2;
    private final List<Parameter> parameters;

    ConvField(int side, int channels, boolean timed, Rng rng) {
        this.side = side;
        this.channels = channels;
        this.timed = timed;
        if (timed) {
            tconv1 = new ConcatConv2d(channels, channels, 3, 1, 1, rng);
            tconv2 = new ConcatConv2d(channels, channels, 3, 1, 1, rng);
            conv1 = null;
            conv2 = null;
            parameters = named(tconv1.parameters(), tconv2.parameters());
        } else {
            conv1 = new Conv2d(channels, channels, 3, 1, 1, true, rng);
            conv2 = new Conv2d(channels, channels, 3, 1, 1, true, rng);
            tconv1 = null;
            tconv2 = null;
            parameters = named(conv1.parameters(), conv2.parameters());
        }
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        Tensor h = y.get(0);
        int b = h.dim(0);
        Tensor maps = Ops.reshape(h, b, side, side, channels);
        Tensor out;
        if (timed) {
            Tensor time = Tensor.scalar(h.dtype(), t); // the time channel in the state's dtype
            out = tconv2.forward(time, Activation.TANH.apply(tconv1.forward(time, maps)));
        } else {
            out = conv2.forward(Activation.TANH.apply(conv1.forward(maps)));
        }
        return List.of(Ops.reshape(out, b, side * side * channels));
    }

    /** {@code conv1.weight}, {@code conv1.bias}, {@code conv2.weight}, {@code conv2.bias}. */
    private static List<Parameter> named(List<Parameter> first, List<Parameter> second) {
        List<Parameter> out = new java.util.ArrayList<>();
        first.forEach(p -> out.add(p.prefixed("conv1")));
        second.forEach(p -> out.add(p.prefixed("conv2")));
        return List.copyOf(out);
    }

    /** The block's parameters, named as {@link #named} says. */
    List<Parameter> parameterList() {
        return parameters;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> out = new java.util.ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            out.add(p.value());
        }
        return out;
    }

    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public boolean autonomous() {
        return !timed;
    }
}
