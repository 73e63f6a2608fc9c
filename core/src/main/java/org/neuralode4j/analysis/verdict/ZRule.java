package org.neuralode4j.analysis.verdict;

/**
 * How the critical multiplier of se is chosen (evaluation.md §4.4, "Rule parameters").
 * <ul>
 *   <li>{@link #NORMAL}: z = 2 for one comparison (a screening rule, deliberately not 1.96), and the Bonferroni
 *       z_m = Φ⁻¹(1 − 0.025/m) over m &gt; 1 configurations (2.394 for m = 3, 2.773 for m = 9);
 *   <li>{@link #STUDENT_T} ({@code --verdict-rule t}): t_{1 − 0.025/m, S−1}, i.e. t_{0.975, S−1} for one
 *       comparison (4.303 for S = 3, 2.776 for S = 5), which accounts for estimating sd from few seeds.
 * </ul>
 */
public enum ZRule {
    NORMAL,
    STUDENT_T;

    /**
     * The critical value for m simultaneous comparisons with S seeds.
     *
     * @param seeds S (only used by STUDENT_T; must be ≥ 2 there so S − 1 ≥ 1)
     * @param m number of configurations (1 for a single comparison)
     */
    public double critical(int seeds, int m) {
        if (m < 1) throw new IllegalArgumentException("m must be ≥ 1, got " + m);
        double p = 1 - 0.025 / m;
        return switch (this) {
            case NORMAL -> m == 1 ? Floors.DEFAULT_Z : Quantiles.normalQuantile(p);
            case STUDENT_T -> {
                if (seeds < 2) throw new IllegalArgumentException("Student-t rule needs S ≥ 2, got " + seeds);
                yield Quantiles.studentTQuantile(p, seeds - 1);
            }
        };
    }

    /** Critical value for a single comparison (m = 1). */
    public double critical(int seeds) {
        return critical(seeds, 1);
    }

    /** "z" or "t", as the report names the rule. */
    public String label() {
        return this == NORMAL ? "z" : "t";
    }
}
