package org.neuralode4j.regularize;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Kinetic energy ∫‖f(z, t)‖² dt (Finlay, Jacobsen, Nurbekyan &amp; Oberman 2020, "How to train your neural ODE",
 * RNODE; regularisers.md §3): straight, constant-speed trajectories that adaptive solvers cross in few steps.
 */
public record KineticEnergy(double weight, Normalisation normalisation) implements Regulariser {
    public KineticEnergy {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw ConfigException.of("kinetic weight", weight, "must be >= 0 and finite");
        }
    }

    @Override
    public String name() {
        return "kinetic";
    }

    @Override
    public boolean needsNoiseProduct() {
        return false;
    }

    @Override
    public Tensor integrand(Tensor z, Tensor f, Tensor v) {
        Tensor s = Ops.sum(Ops.square(f), true, 1);
        return normalisation == Normalisation.MEAN ? Ops.mul(s, 1.0 / f.dim(1)) : s;
    }
}
