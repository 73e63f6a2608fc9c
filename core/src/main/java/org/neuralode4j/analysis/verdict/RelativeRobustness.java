package org.neuralode4j.analysis.verdict;

/**
 * Robust accuracy relative to clean accuracy (claims.md §0.1, row J5): per seed, PGD accuracy ÷ clean accuracy, so
 * that an arm whose robust accuracy is lower only because its clean accuracy is lower does not count as less robust.
 * A seed with zero clean accuracy has no ratio (NaN) and drops out of the paired comparison.
 */
public final class RelativeRobustness {
    private RelativeRobustness() {}

    public static double[] ratios(double[] robust, double[] clean) {
        if (robust.length != clean.length) {
            throw new IllegalArgumentException("robust and clean need one value per seed: " + robust.length + " vs "
                + clean.length);
        }
        double[] r = new double[robust.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = clean[i] > 0 ? robust[i] / clean[i] : Double.NaN;
        }
        return r;
    }
}
