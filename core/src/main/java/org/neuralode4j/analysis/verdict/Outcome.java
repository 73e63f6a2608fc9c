package org.neuralode4j.analysis.verdict;

import java.util.List;

/**
 * The result of one verdict rule (evaluation.md §4.4) with every number the verdict rests on, so the report can
 * print them (§4.5: "no verdict may rest on a number the report does not show").
 *
 * @param verdict the verdict
 * @param meanDiff d̄ on the metric's scale (for existential: that of the named configuration; for check rules:
 *     seed mean − threshold; NaN for compound)
 * @param se se_d (NaN for compound)
 * @param z the critical multiplier used (z, z_m or a t quantile; NaN where none applies)
 * @param floor f_X (NaN for non-inferiority and compound; the threshold for check rules)
 * @param delta Δ_X (NaN except for non-inferiority)
 * @param seeds S (for existential and compound, the smallest S among the parts)
 * @param configIndex for existential rules the index of the configuration the report names (the supported one,
 *     or the one with the largest effect in the claimed direction when none is supported); −1 otherwise
 * @param parts per-configuration outcomes (existential) or the parts (compound); empty otherwise
 * @param explanation one line with the numbers, e.g.
 *     "d̄ = −0.123 ± 0.020 (log10, S = 3, z = 2.00, floor 0.0212): supported"
 */
public record Outcome(Verdict verdict, double meanDiff, double se, double z, double floor, double delta, int seeds,
        int configIndex, List<Outcome> parts, String explanation) {

    public Outcome {
        if (verdict == null || explanation == null) throw new NullPointerException();
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** Shorthand for {@code verdict().label()}. */
    public String label() {
        return verdict.label();
    }

    @Override
    public String toString() {
        return explanation;
    }
}
