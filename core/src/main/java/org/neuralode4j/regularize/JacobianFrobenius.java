package org.neuralode4j.regularize;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Jacobian Frobenius norm ∫‖∂f/∂z‖²_F dt by Hutchinson's estimator E_ε‖εᵀ ∂f/∂z‖² (RNODE, Finlay et al. 2020;
 * regularisers.md §4): one vector–Jacobian product per evaluation, with the noise ε fixed for the whole solve
 * and its backward pass. Unbiased for Gaussian and Rademacher ε.
 */
public record JacobianFrobenius(double weight, Normalisation normalisation, Noise noise) implements Regulariser {
    /** Distribution of the Hutchinson probe. */
    public enum Noise { GAUSSIAN, RADEMACHER }

    public JacobianFrobenius {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw ConfigException.of("jacobian weight", weight, "must be >= 0 and finite");
        }
        if (noise == null || normalisation == null) {
            throw new ConfigException("jacobian regulariser: noise and normalisation are required");
        }
    }

    /** Gaussian Hutchinson estimate, summed over dimensions (the W1 convention). */
    public static JacobianFrobenius hutchinson(double weight) {
        return new JacobianFrobenius(weight, Normalisation.SUM, Noise.GAUSSIAN);
    }

    @Override
    public String name() {
        return "jacobian";
    }

    @Override
    public boolean needsNoiseProduct() {
        return true;
    }

    @Override
    public Tensor integrand(Tensor z, Tensor f, Tensor v) {
        Tensor s = Ops.sum(Ops.square(v), true, 1);
        return normalisation == Normalisation.MEAN ? Ops.mul(s, 1.0 / f.dim(1)) : s;
    }
}
