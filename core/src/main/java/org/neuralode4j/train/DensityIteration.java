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
 * @param seconds     wall time of forward solve + loss + backward + optimiser step (batch generation excluded)
 * @param cpuSeconds  CPU time of the calling thread over the same span (NaN where the JVM cannot measure it): the
 *                    figure to compare on a shared machine, as long as the kernels run single-threaded
 * @param endTimes    each block's T after the update
 * @param memoryBytes memory held for the backward pass, summed over blocks ({@code SolveStats.Backward}): the
 *                    recorded values for DIRECT, the stored outputs or checkpoints for the other methods
 */
public record DensityIteration(int iteration, double nll, double loss, double kinetic, double jacobian, long nfeForward,
                               long nfeBackward, double seconds, double cpuSeconds, double[] endTimes,
                               long memoryBytes) {}
