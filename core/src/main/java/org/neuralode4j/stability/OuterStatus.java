package org.neuralode4j.stability;

/** How the outer level ended, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.5. */
public enum OuterStatus {
    /** m ≤ τ at Δ = 0: nothing to do. */
    ALREADY_FEASIBLE,
    /** The bracket closed: εu − εl ≤ relTol·εu. */
    CONVERGED,
    /** maxOuter iterations without convergence: the best feasible Δ is returned with a warning. */
    MAX_OUTER
}
