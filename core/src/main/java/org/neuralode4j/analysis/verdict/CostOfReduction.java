package org.neuralode4j.analysis.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The revised rule for "the reduction comes at a cost" (claims.md §0.1, row J2), per task over a grid of m
 * configurations: NOT SUPPORTED if some configuration lowers the effect metric with quality non-inferior (a free
 * reduction exists); SUPPORTED if at least one configuration lowers the effect and every one that does also lowers
 * quality (directional); PREMISE NOT MET if no configuration lowers the effect and every one confidently does not
 * (there is no reduction whose cost could be judged); INCONCLUSIVE otherwise. All tests use the Bonferroni z_m.
 */
public final class CostOfReduction {
    private CostOfReduction() {}

    /**
     * @param configs effect = the reduced metric (NFE), quality = the metric that would pay (accuracy)
     * @param effectFloor the effect's floor (NFE: 0.0212 on log10)
     * @param qualityHigherIsBetter true for accuracy
     * @param qualityFloor the floor of the directional "quality lowers" test
     * @param qualityDelta Δ of the non-inferiority test
     */
    public static Outcome judge(List<ExistsWithoutCost.Config> configs, double effectFloor,
            boolean qualityHigherIsBetter, double qualityFloor, double qualityDelta) {
        if (configs == null || configs.isEmpty()) throw new IllegalArgumentException("no configurations");
        int m = configs.size();
        double zm = VerdictRule.bonferroniZ(m);
        Direction worse = qualityHigherIsBetter ? Direction.LOWERS : Direction.RAISES;
        int reductions = 0;
        int costly = 0;
        int free = 0;
        int noReduction = 0;
        int minSeeds = Integer.MAX_VALUE;
        List<Outcome> parts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (ExistsWithoutCost.Config c : configs) {
            Outcome e = c.effect() == null ? ExistsWithoutCost.missing()
                : VerdictRule.directional(c.effect(), Direction.LOWERS, effectFloor, zm);
            minSeeds = Math.min(minSeeds, e.seeds());
            sb.append("; ").append(c.label()).append(": effect ").append(e.verdict().label());
            if (e.verdict() == Verdict.NOT_SUPPORTED) noReduction++;
            if (e.verdict() != Verdict.SUPPORTED || c.quality() == null) {
                parts.add(e);
                continue;
            }
            reductions++;
            Outcome nonInf = VerdictRule.nonInferiority(c.quality(), qualityHigherIsBetter, qualityDelta, zm);
            Outcome cost = VerdictRule.directional(c.quality(), worse, qualityFloor, zm);
            if (nonInf.verdict() == Verdict.SUPPORTED) free++;
            if (cost.verdict() == Verdict.SUPPORTED) costly++;
            sb.append(", quality non-inferior ").append(nonInf.verdict().label()).append(", quality ")
                .append(worse.label()).append(' ').append(cost.verdict().label());
            parts.add(VerdictRule.compound(e, nonInf, cost));
        }
        Verdict v;
        String why;
        if (free > 0) {
            v = Verdict.NOT_SUPPORTED;
            why = free + " configuration(s) lower the effect with quality non-inferior (a free reduction)";
        } else if (reductions > 0 && costly == reductions) {
            v = Verdict.SUPPORTED;
            why = "every configuration that lowers the effect (" + reductions + ") also " + worse.label() + " quality";
        } else if (reductions == 0 && noReduction == m) {
            v = Verdict.PREMISE_NOT_MET;
            why = "no configuration lowers the effect";
        } else {
            v = Verdict.INCONCLUSIVE;
            why = reductions + " configuration(s) lower the effect, " + costly + " of them with a confident cost"
                + (minSeeds < VerdictRule.MIN_SEEDS ? " " + VerdictRule.FEWER_THAN_3_SEEDS : "");
        }
        return new Outcome(v, Double.NaN, Double.NaN, zm, effectFloor, qualityDelta, minSeeds, -1, parts,
            "cost of reduction over m = " + m + " (z_m = " + String.format(java.util.Locale.ROOT, "%.3f", zm) + "): "
                + v.label() + ", " + why + sb);
    }
}
