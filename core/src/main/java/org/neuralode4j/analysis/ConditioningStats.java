package org.neuralode4j.analysis;

import java.util.Arrays;

/**
 * Pooled conditioning statistics over (sample, time) pairs, {@code evaluation.md} §1.4. Every pair has equal
 * weight.
 *
 * <p>Conventions (§1.4):
 * <ul>
 *   <li><b>Percentiles</b> use linear interpolation ("type 7"): with sorted x_(0) ≤ … ≤ x_(N−1) and
 *       h = (N − 1)·p/100, q = x_(⌊h⌋) + (h − ⌊h⌋)·(x_(⌊h⌋+1) − x_(⌊h⌋)). The median is p50.</li>
 *   <li><b>Non-finite κ</b> (a singular Jacobian, σ_min = 0): the means of κ and log10 κ use finite values only
 *       ({@link #nonFiniteKappa()} counts the rest; the mean is NaN when none is finite); median, p90 and max
 *       include +∞, which ranks last, so they may be +∞.</li>
 *   <li>‖J‖_F and μ₂ statistics use all values.</li>
 * </ul>
 *
 * @param count               number of (sample, time) pairs pooled
 * @param kappaMean           mean of the finite κ₂ = σ_max/σ_min
 * @param kappaMedian         median of κ (+∞ ranks last)
 * @param kappaP90            90th percentile of κ
 * @param kappaMax            max of κ
 * @param log10KappaMean      mean of the finite log10 κ
 * @param log10KappaMedian    median of log10 κ
 * @param log10KappaP90       90th percentile of log10 κ
 * @param log10KappaMax       max of log10 κ
 * @param frobeniusMean       mean of ‖J‖_F
 * @param mu2Mean             mean of μ₂(J) = λ_max((J + Jᵀ)/2)
 * @param mu2Median           median of μ₂
 * @param mu2P90              90th percentile of μ₂
 * @param mu2Max              max of μ₂
 * @param nonFiniteKappa      number of κ values that are not finite (singular Jacobians)
 * @param mu2PositiveFraction fraction of μ₂ values &gt; 0 (§1.4 "for μ₂ also")
 * @param kappa               the raw κ values, for histograms (copied in and out)
 */
public record ConditioningStats(int count,
                                double kappaMean, double kappaMedian, double kappaP90, double kappaMax,
                                double log10KappaMean, double log10KappaMedian, double log10KappaP90,
                                double log10KappaMax,
                                double frobeniusMean,
                                double mu2Mean, double mu2Median, double mu2P90, double mu2Max,
                                int nonFiniteKappa, double mu2PositiveFraction,
                                double[] kappa) {

    public ConditioningStats {
        kappa = kappa == null ? new double[0] : kappa.clone();
    }

    /** The raw κ values (a copy, so the record stays immutable). */
    @Override
    public double[] kappa() {
        return kappa.clone();
    }

    /**
     * Pools per-(sample, time) values into statistics.
     *
     * @param kappa κ₂ per pair (+∞ for singular Jacobians)
     * @param frob  ‖J‖_F per pair
     * @param mu    μ₂(J) per pair
     * @throws IllegalArgumentException when the arrays are empty or of different lengths
     */
    public static ConditioningStats of(double[] kappa, double[] frob, double[] mu) {
        int n = kappa.length;
        if (n == 0 || frob.length != n || mu.length != n) {
            throw new IllegalArgumentException("ConditioningStats.of: need equal, non-zero lengths, got "
                    + kappa.length + ", " + frob.length + ", " + mu.length);
        }
        double[] logK = new double[n];
        int nonFinite = 0;
        for (int i = 0; i < n; i++) {
            logK[i] = Math.log10(kappa[i]);
            if (!Double.isFinite(kappa[i])) {
                nonFinite++;
            }
        }
        double[] ks = sorted(kappa);
        double[] ls = sorted(logK);
        double[] ms = sorted(mu);
        int positive = 0;
        for (double m : mu) {
            if (m > 0) {
                positive++;
            }
        }
        return new ConditioningStats(n,
                finiteMean(kappa), percentile(ks, 50), percentile(ks, 90), ks[n - 1],
                finiteMean(logK), percentile(ls, 50), percentile(ls, 90), ls[n - 1],
                mean(frob),
                mean(mu), percentile(ms, 50), percentile(ms, 90), ms[n - 1],
                nonFinite, positive / (double) n,
                kappa);
    }

    /**
     * Type-7 percentile of already sorted values (§1.4), p in [0, 100]. An interpolation towards +∞ gives +∞;
     * landing exactly on a value returns it (so a finite median is not spoiled by an infinite neighbour).
     */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile of no values");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile: p must be in [0, 100], got " + p);
        }
        double h = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        double frac = h - lo;
        double a = sorted[lo];
        if (frac == 0 || lo + 1 >= sorted.length) {
            return a;
        }
        double b = sorted[lo + 1];
        if (a == b) {
            return a; // also avoids ∞ − ∞
        }
        if (Double.isInfinite(b)) {
            return b;
        }
        return a + frac * (b - a);
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s); // +∞ sorts last, as §1.4 requires (NaN, not expected, would sort after it)
        return s;
    }

    private static double finiteMean(double[] x) {
        double sum = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }
}
