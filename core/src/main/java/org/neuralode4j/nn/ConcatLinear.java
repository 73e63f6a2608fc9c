package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The CONCAT time-conditioned linear layer (regularisers.md §6.2): y = W′[t; x] + b, x [B, n] → y [B, m], the
 * time entering as an extra first input column.
 *
 * <p>Parameters, m(n + 2): {@code weight} W′ [m, n + 1] (column 0 multiplies t) and {@code bias} b [m], both
 * with fan_in n + 1.
 */
public final class ConcatLinear implements TimeModule {
    private final Linear linear;

    public ConcatLinear(int in, int out, Rng rng) {
        this.linear = new Linear(in + 1, out, true, rng);
    }

    public int in() {
        return linear.in() - 1;
    }

    public int out() {
        return linear.out();
    }

    /** W′ [m, n + 1], column 0 for t. */
    public Parameter weight() {
        return linear.weight();
    }

    /** b [m]. */
    public Parameter bias() {
        return linear.bias().orElseThrow();
    }

    /** t (one element), x [B, n] → [B, m]. */
    @Override
    public Tensor forward(Tensor t, Tensor x) {
        if (x.rank() < 2 || x.dim(-1) != in()) {
            throw ShapeException.of(toString(), "expected input [B, " + in() + "]", x.shape(), weight().shape());
        }
        Tensor column = Ops.broadcastTo(TimeModule.scalarTime(t), x.shape().withDim(-1, 1));
        return linear.forward(Ops.concat(List.of(column, x), -1));
    }

    @Override
    public List<Parameter> parameters() {
        return linear.parameters();
    }

    @Override
    public String toString() {
        return "ConcatLinear(" + in() + " -> " + out() + ")";
    }
}
