package org.neuralode4j.testkit;

import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.List;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** f(z) = tanh(z W1ᵀ + b1) W2ᵀ + b2 − k·z: a 2-layer tanh MLP field for gradient tests (k > 0 contracts). */
public final class MlpField implements Dynamics {
    private final List<Tensor> params;
    private final double k;

    public MlpField(List<Tensor> params, double k) {
        this.params = params;
        this.k = k;
    }

    /** Random parameters for dimension d and width h (leaves requiring grad). */
    public static List<Tensor> randomParams(int d, int h, long seed, double scale) {
        Rng r = Rng.seeded(seed);
        return List.of(r.normal(0, scale, h, d).requiringGrad(), r.normal(0, scale, h).requiringGrad(),
                r.normal(0, scale, d, h).requiringGrad(), r.normal(0, scale, d).requiringGrad());
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        Tensor z = y.get(0);
        Tensor h = tanh(add(matmul(z, params.get(0), false, true), params.get(1)));
        Tensor out = add(matmul(h, params.get(2), false, true), params.get(3));
        return List.of(k == 0 ? out : sub(out, mul(z, k)));
    }

    @Override
    public List<Tensor> parameters() {
        return params;
    }

    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public boolean autonomous() {
        return true;
    }
}
