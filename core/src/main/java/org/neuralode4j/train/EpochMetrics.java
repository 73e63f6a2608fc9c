package org.neuralode4j.train;

/**
 * What one epoch did.
 *
 * @param epoch         1-based
 * @param loss          mean training loss over the epoch's iterations
 * @param trainAccuracy accuracy over the epoch's batches (as they were seen, before each update)
 * @param nfeForward    forward NFE per iteration, one entry per iteration
 * @param nfeBackward   backward NFE per iteration (0 for direct)
 * @param seconds       wall time of the epoch
 * @param regularisers  per regulariser, the epoch mean of its unweighted value R_k = mean_b r_k(t1)
 */
public record EpochMetrics(int epoch, double loss, double trainAccuracy, long[] nfeForward, long[] nfeBackward, double seconds,
                           java.util.Map<String, Double> regularisers) {
    public double meanNfeForward() {
        return mean(nfeForward);
    }

    public double meanNfeBackward() {
        return mean(nfeBackward);
    }

    private static double mean(long[] v) {
        double s = 0;
        for (long x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }
}
