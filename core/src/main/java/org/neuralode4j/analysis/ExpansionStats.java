package org.neuralode4j.analysis;

import java.util.Arrays;

/**
 * What {@link Expansion#along} measured ({@code evaluation.md} §1.3–§1.5): raw values and their §1.4 summaries.
 *
 * @param mu2   μ₂(J) per (sample, grid time), sample-major
 * @param ratio empirical expansion ratio ρ_b per sample
 * @param local local expansion s_b = ‖Φ_b‖₂ per sample
 * @param bound log-norm bound B_b = exp(∫μ₂) per sample (trapezoid rule on the grid)
 */
public record ExpansionStats(double[] mu2, double[] ratio, double[] local, double[] bound) {
    public ExpansionStats {
        mu2 = mu2.clone();
        ratio = ratio.clone();
        local = local.clone();
        bound = bound.clone();
    }

    /** Mean, median, p90 and max of some values (§1.4). */
    public record Summary(double mean, double median, double p90, double max) {
        static Summary of(double[] v) {
            return new Summary(Arrays.stream(v).average().orElse(Double.NaN), Expansion.percentile(v, 50),
                    Expansion.percentile(v, 90), Arrays.stream(v).max().orElse(Double.NaN));
        }
    }

    public Summary mu2Summary() {
        return Summary.of(mu2);
    }

    public Summary ratioSummary() {
        return Summary.of(ratio);
    }

    public Summary localSummary() {
        return Summary.of(local);
    }

    public Summary boundSummary() {
        return Summary.of(bound);
    }

    /** Fraction of (sample, time) pairs with μ₂ &gt; threshold (e.g. δ + τ; 0 gives §1.4's positive fraction). */
    public double mu2FractionAbove(double threshold) {
        return mu2.length == 0 ? Double.NaN : Arrays.stream(mu2).filter(x -> x > threshold).count() / (double) mu2.length;
    }

    /** Fraction of samples with s_b &gt; B_b(1 + 1e-3) (§1.5). */
    public double localAboveBoundFraction() {
        int n = 0;
        for (int b = 0; b < local.length; b++) {
            if (local[b] > bound[b] * (1 + 1e-3)) {
                n++;
            }
        }
        return local.length == 0 ? Double.NaN : n / (double) local.length;
    }

    @Override
    public double[] mu2() {
        return mu2.clone();
    }

    @Override
    public double[] ratio() {
        return ratio.clone();
    }

    @Override
    public double[] local() {
        return local.clone();
    }

    @Override
    public double[] bound() {
        return bound.clone();
    }
}
