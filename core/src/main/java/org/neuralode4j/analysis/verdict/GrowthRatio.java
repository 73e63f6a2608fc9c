package org.neuralode4j.analysis.verdict;

/**
 * Growth of a per-iteration quantity over the second half of training (claims.md §0.1, row R6): ρ = mean over the
 * last 10 % of iterations ÷ mean over iterations 40–50 %. The reference window sits mid-training so that the NFE
 * floor of the first iterations (a nearly linear initial field) cannot decide the claim.
 */
public final class GrowthRatio {
    private GrowthRatio() {}

    /** ρ of one run's series; NaN for fewer than 10 iterations or a zero reference mean. */
    public static double secondHalf(double[] perIteration) {
        int n = perIteration.length;
        if (n < 10) return Double.NaN;
        int refFrom = (int) Math.floor(0.4 * n);
        int refTo = Math.max(refFrom + 1, (int) Math.floor(0.5 * n));
        int lastFrom = n - Math.max(1, n / 10);
        double ref = mean(perIteration, refFrom, refTo);
        double last = mean(perIteration, lastFrom, n);
        return ref > 0 ? last / ref : Double.NaN;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
