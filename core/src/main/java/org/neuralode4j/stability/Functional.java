package org.neuralode4j.stability;

/**
 * The two violation functionals of De Marinis, Guglielmi, Sicilia, Tudisco (2025) as fixed by {@code stability.md}
 * §3.3. Both vanish exactly when every λ_{k,1} ≤ δ, so they define the same ε*.
 */
public enum Functional {
    /** F = ½ Σ_k Σ_i (λ_{k,i} − δ)₊²: C¹ with a Lipschitz gradient even where eigenvalues coalesce (default). */
    ALL,
    /** F = ½ Σ_k (λ_{k,1} − δ)₊²: the paper-shaped form; not differentiable at a multiple violated top eigenvalue. */
    TOP
}
