package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The time-dependent part of a ConcatSquash layer (regularisers.md §6.1), shared by the linear and
 * convolutional forms: given the affine output u [..., m], returns u ⊙ sig(w_g t + b_g) + w_b t.
 *
 * <p>Parameters {@code shift.weight} = w_b [m] (no bias), {@code gate.weight} = w_g [m] and {@code gate.bias} =
 * b_g [m], each fed by the single input t, hence drawn from U(−1, 1). They are vectors rather than PyTorch's
 * [m, 1] matrices because t is one scalar for the whole batch, so that the gate is one [m] vector broadcast
 * over the batch.
 */
final class SquashGate {
    private final Parameter shift;
    private final Parameter gateWeight;
    private final Parameter gateBias;

    /** Draws w_b, then w_g, then b_g (the order of FFJORD's constructor). */
    SquashGate(int m, Rng rng) {
        this.shift = new Parameter("shift.weight", Init.uniform(rng, 1, m));
        this.gateWeight = new Parameter("gate.weight", Init.uniform(rng, 1, m));
        this.gateBias = new Parameter("gate.bias", Init.uniform(rng, 1, m));
    }

    /** w_b, w_g, b_g. */
    List<Parameter> parameters() {
        return List.of(shift, gateWeight, gateBias);
    }

    Parameter shift() {
        return shift;
    }

    Parameter gateWeight() {
        return gateWeight;
    }

    Parameter gateBias() {
        return gateBias;
    }

    /** sig(w_g t + b_g) [m] for a rank-0 time t. */
    Tensor gate(Tensor t) {
        return Ops.sigmoid(Ops.add(Ops.mul(gateWeight.value(), t), gateBias.value()));
    }

    /**
     * @param u affine output [..., m]
     * @param t rank-0 time
     */
    Tensor apply(Tensor u, Tensor t) {
        return Ops.add(Ops.mul(u, gate(t)), Ops.mul(shift.value(), t));
    }
}
