package org.neuralode4j.stability;

/**
 * A violation functional F(Δ) over frozen constraint states with its gradient G = ∇_Δ F and violation m, De Marinis,
 * Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.3: what the inner and outer levels (§3.4–§3.5) need,
 * whichever field the perturbed matrix belongs to — the default field's A ({@link ViolationFunctional}) or one
 * matrix W of a field with frozen factors J_k = P_k(W + Δ)Q_k (§3.8, {@link FrozenFactorFunctional}).
 */
public interface PerturbationFunctional {
    /** F, G and m at W + Δ; Δ row-major rows()×cols(). */
    Evaluation evaluate(double[] perturbation);

    /** Rows of the perturbed matrix. */
    int rows();

    /** Columns of the perturbed matrix. */
    int cols();

    /** F evaluations so far. */
    long evaluations();

    /** Dense eigendecompositions so far. */
    long decompositions();
}
