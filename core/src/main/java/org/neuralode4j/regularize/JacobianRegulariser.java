package org.neuralode4j.regularize;

import org.neuralode4j.tensor.Tensor;

/**
 * A regulariser whose integrand is a function of the full Jacobian rows (exact Frobenius, condition number): it
 * needs no noise product, and only the four-argument integrand applies.
 */
interface JacobianRegulariser extends Regulariser {
    @Override
    default boolean needsNoiseProduct() {
        return false;
    }

    @Override
    default boolean needsJacobian() {
        return true;
    }

    @Override
    default Tensor integrand(Tensor z, Tensor f, Tensor v) {
        throw new IllegalStateException(name() + " needs the Jacobian rows");
    }

    @Override
    Tensor integrand(Tensor z, Tensor f, Tensor v, Tensor[] rows);
}
