package org.neuralode4j.train;

/**
 * What one density-training iteration did (cnf.md §3.6; workloads.md §2 "measured per iteration").
 *
 * @param iteration   1-based
 * @param nll         mean NLL of the batch in nats, before the update
 * @param loss        NLL + the weighted RNODE terms
 * @param kinetic     batch mean of E(T) (unweighted), NaN without the channel
 * @param jacobian    batch mean of N(T) (unweighted), NaN without the channel
 * @param nfeForward  forward NFE, summed over blocks
 * @param nfeBackward backward NFE, summed over blocks (0 for DIRECT)
 * @param seconds     forward solve + loss + backward + optimiser step (batch generation excluded)
 * @param endTimes    each block's T after the update
 */
public record DensityIteration(int iteration, double nll, double loss, double kinetic, double jacobian, long nfeForward,
                               long nfeBackward, double seconds, double[] endTimes) {}
