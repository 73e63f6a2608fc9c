package org.neuralode4j.regularize;

import org.neuralode4j.tensor.Tensor;

/**
 * A per-sample integrand g(z, t) ≥ 0 integrated alongside the state as its own channel [B, 1]
 * (regularisers.md §2), weighted by λ in the loss.
 */
public interface Regulariser {
    /** Name for reports (kinetic, jacobian, ...). */
    String name();

    /** λ ≥ 0. */
    double weight();

    /** Whether the integrand needs v = εᵀ ∂f/∂z (one vector–Jacobian product per evaluation, shared). */
    boolean needsNoiseProduct();

    /**
     * The integrand per sample, [B, 1], built from recorded ops.
     *
     * @param z state [B, D]
     * @param f field value [B, D]
     * @param v εᵀ J per sample [B, D], or null when no regulariser needs it
     */
    Tensor integrand(Tensor z, Tensor f, Tensor v);

    /** Whether the integrand needs the full Jacobian (D vector–Jacobian products per evaluation, small D only). */
    default boolean needsJacobian() {
        return false;
    }

    /**
     * The integrand when the Jacobian is available: {@code rows[i]} [B, D] holds row i of every sample's J
     * (∂f_i/∂z), recorded. Defaults to {@link #integrand(Tensor, Tensor, Tensor)}.
     */
    default Tensor integrand(Tensor z, Tensor f, Tensor v, Tensor[] rows) {
        return integrand(z, f, v);
    }

    /** How an integrand over D dimensions is reduced. */
    enum Normalisation {
        /** Σ over the state's dimensions (the W1/W2 reference, workloads.md §0). */
        SUM,
        /** Mean over the state's dimensions (RNODE's per-dimension convention, cnf.md). */
        MEAN
    }
}
