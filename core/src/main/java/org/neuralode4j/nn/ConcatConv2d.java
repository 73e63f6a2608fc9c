package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The convolutional CONCAT layer (regularisers.md §6.2): a constant-t channel is prepended to x [N, H, W, C]
 * and the result convolved, [N, H, W, C] → [N, OH, OW, F]. As in FFJORD, the zero padding pads the t channel
 * with zeros too.
 *
 * <p>Parameters {@code weight} [k, k, C + 1, F] (input channel 0 for t) and {@code bias} [F], fan_in
 * k·k·(C + 1).
 */
public final class ConcatConv2d implements TimeModule {
    private final Conv2d conv;

    public ConcatConv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng) {
        this.conv = new Conv2d(inCh + 1, outCh, k, stride, pad, true, rng);
    }

    /** [k, k, C + 1, F]. */
    public Parameter weight() {
        return conv.weight();
    }

    /** [F]. */
    public Parameter bias() {
        return conv.bias().orElseThrow();
    }

    /** t (one element), x [N, H, W, C] → [N, OH, OW, F]. */
    @Override
    public Tensor forward(Tensor t, Tensor x) {
        int c = conv.geometry().inChannels() - 1;
        if (x.rank() != 4 || x.dim(3) != c) {
            throw ShapeException.of(toString(), "expected input [N, H, W, " + c + "]", x.shape(), weight().shape());
        }
        Tensor channel = Ops.broadcastTo(TimeModule.scalarTime(t), x.shape().withDim(3, 1));
        return conv.forward(Ops.concat(List.of(channel, x), 3));
    }

    @Override
    public List<Parameter> parameters() {
        return conv.parameters();
    }

    @Override
    public String toString() {
        Conv2d.ConvGeometry g = conv.geometry();
        return "ConcatConv2d(" + (g.inChannels() - 1) + " -> " + g.outChannels() + ", k=" + g.kernel() + ", stride="
                + g.stride() + ", pad=" + g.padding() + ")";
    }
}
