package org.neuralode4j.cnf;

import org.neuralode4j.tensor.Tensor;

/**
 * Points decoded from the base distribution by integrating a flow from T back to 0 (cnf.md §1.4).
 *
 * @param x    the samples, [n, D]
 * @param logp log p_x(x) per sample, [n, 1], when asked for (carried as ℓ with ℓ(T) = log p_base(u)); else null
 * @param nfe  evaluations of the right-hand side, summed over blocks
 */
public record FlowSample(Tensor x, Tensor logp, long nfe) {}
