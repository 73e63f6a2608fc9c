package org.neuralode4j.stability;

import java.util.List;

/**
 * What the outer level returns, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.5 step 5.
 *
 * @param perturbation    Δ = best.ε·best.E (zero when already feasible), row-major n×n
 * @param eps             ‖Δ‖_F
 * @param status          how it ended
 * @param initial         F, G and m at Δ = 0
 * @param recheck         F, G and m re-evaluated at Δ (always feasible)
 * @param steps           one record per outer iteration
 * @param innerIterations inner iterations over all calls
 * @param evaluations     F evaluations
 * @param decompositions  dense eigendecompositions
 * @param seconds         wall time
 */
public record OuterResult(double[] perturbation, double eps, OuterStatus status, Evaluation initial,
                          Evaluation recheck, List<OuterStep> steps, int innerIterations, long evaluations,
                          long decompositions, double seconds) {
    public int outerIterations() {
        return steps.size();
    }
}
