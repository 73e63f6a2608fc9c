package org.neuralode4j.stability;

/**
 * Where OUTER starts when the previous round of STABILISE with rebase ORIGINAL already solved a subset of the
 * constraint states, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.5–§3.6 (a library
 * shortcut, not in the spec's pseudo-code). With the same base A0 the round's set 𝒦_r contains 𝒦_{r−1}, so its φ_r is
 * ≥ φ_{r−1} pointwise: every ε the previous round found infeasible is infeasible now (εl may start there instead of at
 * 0), and ε* can only have grown (T-10). The first inner solve then starts at the previous ε with the previous E; by
 * convexity (§3.1, tested by T-6) the start changes the result only within the solver's tolerances. If the new
 * states do not bind, that first solve is feasible and the bracket [εl, ε] has width ≈ relTol·ε at once.
 *
 * @param lower     the previous round's final εl (a lower bracket end for this round)
 * @param eps       the previous round's ε (its first guess here)
 * @param direction the previous round's unit E = Δ/ε (its first direction here)
 */
public record WarmStart(double lower, double eps, double[] direction) {
    /** The start after {@code previous}, or null when it carries nothing (already feasible, ε = 0). */
    public static WarmStart after(OuterResult previous) {
        if (previous == null || !(previous.eps() > 0) || previous.steps().isEmpty()) {
            return null;
        }
        double lower = previous.steps().get(previous.steps().size() - 1).lower();
        return new WarmStart(lower, previous.eps(), SquareMatrices.scaled(1 / previous.eps(), previous.perturbation()));
    }
}
