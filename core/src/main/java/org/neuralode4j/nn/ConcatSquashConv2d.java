package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The convolutional form of the ConcatSquash layer (FFJORD's ConcatSquashConv2d): the §6.1 gate and shift
 * applied per output channel, y = (conv(x) + b) ⊙ sig(w_g t + b_g) + w_b t, [N, H, W, C] → [N, OH, OW, F].
 *
 * <p>Parameters, F(k²C + 4): {@code weight} [k, k, C, F] and {@code bias} [F] (fan_in k²C), then
 * {@code shift.weight}, {@code gate.weight}, {@code gate.bias}, each [F] (U(−1, 1)).
 */
public final class ConcatSquashConv2d implements TimeModule {
    private final Conv2d conv;
    private final SquashGate gate;
    private final List<Parameter> parameters;

    public ConcatSquashConv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng) {
        this.conv = new Conv2d(inCh, outCh, k, stride, pad, true, rng);
        this.gate = new SquashGate(outCh, rng);
        List<Parameter> ps = new ArrayList<>(conv.parameters());
        ps.addAll(gate.parameters());
        this.parameters = List.copyOf(ps);
    }

    /** t (one element), x [N, H, W, C] → [N, OH, OW, F]. */
    @Override
    public Tensor forward(Tensor t, Tensor x) {
        return gate.apply(conv.forward(x), TimeModule.scalarTime(t));
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        Conv2d.ConvGeometry g = conv.geometry();
        return "ConcatSquashConv2d(" + g.inChannels() + " -> " + g.outChannels() + ", k=" + g.kernel() + ", stride="
                + g.stride() + ", pad=" + g.padding() + ")";
    }
}
