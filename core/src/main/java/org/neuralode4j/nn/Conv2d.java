package org.neuralode4j.nn;

import java.util.List;
import java.util.Optional;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * 2-D convolution in NHWC layout: x [N, H, W, inCh] → [N, OH, OW, outCh] with square k×k kernels, equal
 * strides and zero padding, OH = (H + 2·pad − k)/stride + 1.
 *
 * <p>Parameters {@code weight} [k, k, inCh, outCh] (the layout {@code Ops.conv2d} consumes directly, so no
 * per-call transposition) and, optionally, {@code bias} [outCh]; both initialised by {@link Init} with
 * fan_in = k·k·inCh.
 */
public final class Conv2d implements Module {
    private final ConvGeometry geometry;
    private final Parameter weight;
    private final Parameter bias;
    private final List<Parameter> parameters;

    /** Kernel size, stride and padding of a convolution. */
    public record ConvGeometry(int inChannels, int outChannels, int kernel, int stride, int padding) {
        public ConvGeometry {
            if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
                throw new NeuralOdeException("convolution: channels, kernel and stride must be >= 1 and padding >= 0, got in="
                        + inChannels + " out=" + outChannels + " k=" + kernel + " stride=" + stride + " pad=" + padding);
            }
        }
    }

    /**
     * @param inCh   input channels
     * @param outCh  output channels (filters)
     * @param k      kernel height and width
     * @param stride step between windows, both directions
     * @param pad    zeros added on each border
     * @param bias   whether to add a per-channel bias
     * @param rng    source of the initial weights (weight drawn first, then bias)
     */
    public Conv2d(int inCh, int outCh, int k, int stride, int pad, boolean bias, Rng rng) {
        this.geometry = new ConvGeometry(inCh, outCh, k, stride, pad);
        int fanIn = k * k * inCh;
        this.weight = new Parameter("weight", Init.uniform(rng, fanIn, k, k, inCh, outCh));
        this.bias = bias ? new Parameter("bias", Init.uniform(rng, fanIn, outCh)) : null;
        this.parameters = bias ? List.of(weight, this.bias) : List.of(weight);
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** [k, k, inCh, outCh]. */
    public Parameter weight() {
        return weight;
    }

    /** [outCh], when the layer has one. */
    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    /** x [N, H, W, inCh] → [N, OH, OW, outCh]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(3) != geometry.inChannels()) {
            throw ShapeException.of(toString(), "expected input [N, H, W, " + geometry.inChannels() + "]", x.shape(), weight.shape());
        }
        Tensor y = Ops.conv2d(x, weight.value(), geometry.stride(), geometry.padding());
        return bias == null ? y : Ops.add(y, bias.value());
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "Conv2d(" + geometry.inChannels() + " -> " + geometry.outChannels() + ", k=" + geometry.kernel()
                + ", stride=" + geometry.stride() + ", pad=" + geometry.padding() + (bias == null ? ", no bias)" : ")");
    }
}
