package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * FFJORD's ConcatSquash linear layer (regularisers.md §6.1), the default building block of CNF fields:
 * <pre>  y = (W x + b) ⊙ sig(w_g t + b_g) + w_b t,   x [B, n] → y [B, m]</pre>
 * with t the scalar solver time shared by the batch. The time gates each output (so ∂y/∂x = diag(sig)·W) and
 * shifts it.
 *
 * <p>Parameters, m(n + 4) in all: {@code weight} W [m, n] and {@code bias} b [m] (fan_in n), then
 * {@code shift.weight} w_b [m], {@code gate.weight} w_g [m], {@code gate.bias} b_g [m] (fan_in 1, so U(−1, 1)).
 */
public final class ConcatSquashLinear implements TimeModule {
    private final Linear linear;
    private final SquashGate gate;
    private final List<Parameter> parameters;

    /** W and b are drawn first, then w_b, w_g, b_g. */
    public ConcatSquashLinear(int in, int out, Rng rng) {
        this.linear = new Linear(in, out, true, rng);
        this.gate = new SquashGate(out, rng);
        List<Parameter> ps = new ArrayList<>(linear.parameters());
        ps.addAll(gate.parameters());
        this.parameters = List.copyOf(ps);
    }

    public int in() {
        return linear.in();
    }

    public int out() {
        return linear.out();
    }

    /** W [m, n]. */
    public Parameter weight() {
        return linear.weight();
    }

    /** b [m]. */
    public Parameter bias() {
        return linear.bias().orElseThrow();
    }

    /** w_g [m]. */
    public Parameter gateWeight() {
        return gate.gateWeight();
    }

    /** b_g [m]. */
    public Parameter gateBias() {
        return gate.gateBias();
    }

    /** w_b [m]. */
    public Parameter shift() {
        return gate.shift();
    }

    /** t (one element), x [B, n] → [B, m]. */
    @Override
    public Tensor forward(Tensor t, Tensor x) {
        if (x.rank() < 2 || x.dim(-1) != in()) {
            throw ShapeException.of(toString(), "expected input [B, " + in() + "]", x.shape(), weight().shape());
        }
        return gate.apply(linear.forward(x), TimeModule.scalarTime(t));
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "ConcatSquashLinear(" + in() + " -> " + out() + ")";
    }

    /** sig(w_g t + b_g), the gate of each output at time t (so ∂y/∂x = diag(gate)·W); [m], values only. */
    @SuppressWarnings("try") // the scope is used only for its close()
    public Tensor gateAt(double t) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return gate.gate(Tensor.scalar(dtype(), t));
        }
    }
}
