package org.neuralode4j.analysis.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * "Does not guarantee a gain" over m configurations (claims.md §0.1, row J5): SUPPORTED if some configuration is
 * confidently not better than the baseline by more than Δ (non-superiority: d̄ + z_m·se &lt; Δ on the
 * higher-is-better scale); NOT SUPPORTED if every configuration is confidently better by more than Δ
 * (d̄ − z_m·se &gt; Δ); INCONCLUSIVE otherwise. This is evaluation.md §4.4's non-inferiority mirrored (the
 * treatment must not exceed the baseline by Δ) with the Bonferroni z_m of the existential rule.
 */
public final class NonSuperiority {
    private NonSuperiority() {}

    /** @param delta the tolerance Δ on the metric's scale (accuracy ratio: 0.01) */
    public static Outcome existential(List<String> labels, List<PairedComparison> configs, double delta) {
        if (configs == null || configs.isEmpty()) throw new IllegalArgumentException("no configurations");
        int m = configs.size();
        double zm = VerdictRule.bonferroniZ(m);
        List<Outcome> parts = new ArrayList<>(m);
        int notBetter = 0;
        int better = 0;
        int minSeeds = Integer.MAX_VALUE;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < m; i++) {
            PairedComparison c = configs.get(i);
            // Non-inferiority with "lower is better" is exactly "T does not exceed B by more than Δ".
            Outcome o = c == null ? ExistsWithoutCost.missing() : VerdictRule.nonInferiority(c, false, delta, zm);
            parts.add(o);
            minSeeds = Math.min(minSeeds, o.seeds());
            if (o.verdict() == Verdict.SUPPORTED) notBetter++;
            if (o.verdict() == Verdict.NOT_SUPPORTED) better++;
            sb.append("; ").append(labels.get(i)).append(": ").append(o.verdict() == Verdict.SUPPORTED
                ? "confidently not better" : o.verdict() == Verdict.NOT_SUPPORTED ? "confidently better" : "unclear")
                .append(" (d̄ = ").append(VerdictRule.num(o.meanDiff())).append(" ± ").append(VerdictRule.num(o.se()))
                .append(')');
        }
        Verdict v = notBetter > 0 ? Verdict.SUPPORTED : better == m ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
        return new Outcome(v, Double.NaN, Double.NaN, zm, Double.NaN, delta, minSeeds, -1, parts,
            "some configuration not better than the baseline by more than Δ " + VerdictRule.plain(delta) + ", m = " + m
                + ", z_m = " + String.format(java.util.Locale.ROOT, "%.3f", zm) + ": " + v.label()
                + (v == Verdict.INCONCLUSIVE && minSeeds < VerdictRule.MIN_SEEDS ? " " + VerdictRule.FEWER_THAN_3_SEEDS : "")
                + " (" + notBetter + " not better, " + better + " better of " + m + ")" + sb);
    }
}
