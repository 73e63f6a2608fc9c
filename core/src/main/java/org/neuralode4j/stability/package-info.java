/**
 * Log-norm stability control by minimal weight perturbation (De Marinis, Guglielmi, Sicilia, Tudisco 2025,
 * "Stability of neural ODEs by a control over the expansivity of their flows"; spec {@code stability.md}).
 *
 * <p>The dense block ẋ = σ(Ax + b) has Jacobian J = D(x)A. The package finds the smallest Frobenius-norm Δ such
 * that μ₂(D_k(A + Δ)) ≤ δ at a finite set of constraint states (§2.3): an inner projected gradient flow on the unit
 * Frobenius sphere ({@link org.neuralode4j.stability.InnerLevel}, §3.4), an outer Newton–bisection on ε = ‖Δ‖_F
 * ({@link org.neuralode4j.stability.OuterLevel}, §3.5) and rounds that re-collect the states
 * ({@link org.neuralode4j.stability.Stabiliser}, §3.6). Everything is float64.
 *
 * <p>The options of §3.8 reuse both levels through {@link org.neuralode4j.stability.PerturbationFunctional}: a rank r
 * perturbation ({@link org.neuralode4j.stability.LowRankTruncation}), one matrix W with frozen factors
 * J_k = P_k(W + Δ)Q_k ({@link org.neuralode4j.stability.FrozenFactorFunctional}) and the two-layer field with both
 * matrices perturbed ({@link org.neuralode4j.stability.TwoLayerFunctional}).
 */
package org.neuralode4j.stability;
