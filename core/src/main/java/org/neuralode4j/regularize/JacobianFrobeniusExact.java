package org.neuralode4j.regularize;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Jacobian Frobenius norm ∫‖∂f/∂z‖²_F dt computed exactly from the D rows of J (regularisers.md §4, exact
 * variant; Josias &amp; Brink 2022 use it as the Frobenius baseline): no noise, D vector–Jacobian products per
 * evaluation, so for small state dimensions only.
 */
public record JacobianFrobeniusExact(double weight, Normalisation normalisation) implements JacobianRegulariser {
    public JacobianFrobeniusExact {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw ConfigException.of("jacobian-exact weight", weight, "must be >= 0 and finite");
        }
    }

    @Override
    public String name() {
        return "jacobian-exact";
    }

    @Override
    public Tensor integrand(Tensor z, Tensor f, Tensor v, Tensor[] rows) {
        Tensor s = null;
        for (Tensor r : rows) {
            Tensor t = Ops.sum(Ops.square(r), true, 1);
            s = s == null ? t : Ops.add(s, t);
        }
        return normalisation == Normalisation.MEAN ? Ops.mul(s, 1.0 / f.dim(1)) : s;
    }
}
