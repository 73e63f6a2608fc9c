package org.neuralode4j.stability;

/**
 * What one inner solve returns, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.4 ("every
 * exit returns (E, F, G, m, h, exit reason, iterations, number of F evaluations)").
 *
 * @param direction   E, unit Frobenius norm
 * @param at          F, G and m at εE
 * @param step        the step h to carry into the next call
 * @param exit        why it stopped
 * @param iterations  accepted steps
 * @param evaluations F evaluations made by this call
 */
public record InnerResult(double[] direction, Evaluation at, double step, InnerExit exit, int iterations,
                          int evaluations) {}
