package org.neuralode4j.stability;

/**
 * One round of STABILISE, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.6 and the
 * per-round fields of §4.3. λ summaries are of λ_{k,1} = μ₂(D_k A) over the round's constraint set.
 *
 * @param round          1-based
 * @param states         K of the constraint set solved (0 when the round's fresh states were already satisfied)
 * @param status         the outer status, or null when the round found its states satisfied (§3.6 stop)
 * @param eps            ‖Δ‖_F of this round's OUTER (from its base)
 * @param outer          outer iterations
 * @param inner          inner iterations over the round
 * @param evaluations    F evaluations
 * @param decompositions dense eigendecompositions
 * @param seconds        wall time of the round's OUTER
 * @param maxBefore      max λ_{k,1} − δ on the round's set before Δ (for a satisfied round: on the fresh states)
 * @param meanBefore     mean λ_{k,1} before
 * @param maxAfter       max λ_{k,1} − δ after Δ
 * @param meanAfter      mean λ_{k,1} after
 * @param freshAfter     max λ_{k,1} − δ on states re-collected with the new A
 */
public record RoundRecord(int round, int states, OuterStatus status, double eps, int outer, int inner,
                          long evaluations, long decompositions, double seconds, double maxBefore, double meanBefore,
                          double maxAfter, double meanAfter, double freshAfter) {}
