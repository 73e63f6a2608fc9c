package org.neuralode4j.stability;

/**
 * One evaluation of the violation functional at Δ, De Marinis, Guglielmi, Sicilia, Tudisco (2025),
 * {@code stability.md} §3.3.
 *
 * @param value      F(Δ)
 * @param gradient   G = ∇_Δ F = Σ_k D_k Π_k, row-major n×n (in general not symmetric)
 * @param violation  m = max_k λ_{k,1} − δ; feasible when m ≤ τ. With cheap certification on, certified states
 *                   enter as λ = δ (they are below it), so m is then an upper bound whenever it is ≤ 0
 * @param worstState the k attaining m
 */
public record Evaluation(double value, double[] gradient, double violation, int worstState) {
    /** ‖G‖_F. */
    public double gradientNorm() {
        return SquareMatrices.norm(gradient);
    }
}
