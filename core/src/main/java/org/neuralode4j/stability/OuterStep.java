package org.neuralode4j.stability;

/**
 * One outer iteration, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.5: the ε tried, the
 * inner level's outcome there and the bracket after it.
 *
 * @param eps        ε of this iteration
 * @param value      F at the inner solve's end (≈ φ(ε))
 * @param violation  m there
 * @param gradNorm   ‖G‖_F there
 * @param exit       the inner exit
 * @param inner      inner iterations
 * @param lower      εl after the update
 * @param upper      εu after the update
 */
public record OuterStep(double eps, double value, double violation, double gradNorm, InnerExit exit, int inner,
                        double lower, double upper) {}
