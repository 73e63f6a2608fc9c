package org.neuralode4j.analysis.verdict;

/**
 * Summaries over the finite entries of a sample: a diverged seed or a censored margin is recorded as NaN or ±∞
 * and is left out of the mean rather than turning it into NaN (the verdict rules count such runs separately).
 */
public final class FiniteValues {
    private FiniteValues() {}

    /** Mean of the finite entries of {@code v}; NaN when there are none. */
    public static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
