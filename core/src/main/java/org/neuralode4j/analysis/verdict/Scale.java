package org.neuralode4j.analysis.verdict;

/**
 * The scale on which a metric is differenced (evaluation.md §4.4): log10 for NFE, κ, margin, expansion, wall
 * time and gradient error (ratios matter, so a 5 % change is the same effect at any magnitude); linear for
 * accuracies, μ₂, ε, NLL and ‖Δ‖_F.
 */
public enum Scale {
    LINEAR("linear"),
    LOG10("log10");

    private final String label;

    Scale(String label) {
        this.label = label;
    }

    /** "linear" or "log10", as printed in verdict explanations. */
    public String label() {
        return label;
    }

    /**
     * Transforms one per-seed value onto this scale.
     *
     * @throws IllegalArgumentException for LOG10 of a non-positive or NaN value (a silent NaN/−∞ would otherwise
     *     poison d̄ and produce a meaningless verdict), or for a non-finite value on either scale
     */
    public double apply(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("non-finite value " + x + " cannot enter a verdict");
        }
        if (this == LOG10) {
            if (!(x > 0)) throw new IllegalArgumentException("log10 scale needs positive values, got " + x);
            return Math.log10(x);
        }
        return x;
    }

    /** Transforms every value (a copy; the input is not modified). */
    public double[] apply(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = apply(xs[i]);
        return out;
    }
}
