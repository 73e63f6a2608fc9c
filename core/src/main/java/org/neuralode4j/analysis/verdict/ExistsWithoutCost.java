package org.neuralode4j.analysis.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The revised rule for "fewer NFE without a quality cost" (claims.md §0.1, rows J4 and R1): over a grid of m
 * configurations fixed before the data (the λ grid), SUPPORTED if there EXISTS a configuration at which the effect
 * metric moves in the claimed direction AND quality is non-inferior at that same configuration; NOT SUPPORTED if at
 * every configuration either the effect is confidently absent or quality is confidently inferior; INCONCLUSIVE
 * otherwise. The configuration is never the one with the largest effect: that is the largest λ, where models
 * collapse, and the verdict would then be the collapse's.
 *
 * <p>Both parts use the Bonferroni z_m = Φ⁻¹(1 − 0.025/m) (evaluation.md §4.4): the search runs over m
 * configurations for the pair of tests, so the quality part is corrected as well (more conservative than
 * correcting the effect alone; the report prints z_m).
 */
public final class ExistsWithoutCost {
    private ExistsWithoutCost() {}

    /**
     * One configuration: the effect comparison (e.g. test NFE, arm vs baseline) and the quality comparison (e.g.
     * accuracy or NLL); either may be null when no pair of finished runs exists, which makes that configuration
     * inconclusive.
     */
    public record Config(String label, PairedComparison effect, PairedComparison quality) {}

    /** One configuration's two parts and whether it passed both. */
    public record Part(String label, Outcome effect, Outcome quality, Verdict verdict) {
        /** True when both parts are supported. */
        public boolean passes() {
            return verdict == Verdict.SUPPORTED;
        }

        /** True when one part is confidently against the claim. */
        public boolean fails() {
            return verdict == Verdict.NOT_SUPPORTED;
        }
    }

    /**
     * The verdict, every configuration's parts, and the chosen configuration: among those that pass, the one with
     * the strongest effect mean in the claimed direction (claims.md §0.1 "R1's λ": the lowest NFE); −1 if none.
     */
    public record Result(Outcome outcome, List<Part> parts, int chosen) {
        public Verdict verdict() {
            return outcome.verdict();
        }

        /** The chosen configuration's label, or null when none passed. */
        public String chosenLabel() {
            return chosen < 0 ? null : parts.get(chosen).label();
        }
    }

    /**
     * @param dir the effect's claimed direction (LOWERS for NFE)
     * @param floor the effect's floor f_X on its scale
     * @param qualityHigherIsBetter true for accuracy, false for NLL
     * @param delta the quality tolerance Δ on its scale
     */
    public static Result judge(List<Config> configs, Direction dir, double floor, boolean qualityHigherIsBetter,
            double delta) {
        if (configs == null || configs.isEmpty()) throw new IllegalArgumentException("no configurations");
        int m = configs.size();
        double zm = VerdictRule.bonferroniZ(m);
        List<Part> parts = new ArrayList<>(m);
        int chosen = -1;
        double best = Double.NEGATIVE_INFINITY;
        boolean allFail = true;
        int minSeeds = Integer.MAX_VALUE;
        StringBuilder sb = new StringBuilder();
        for (Config c : configs) {
            Outcome e = c.effect() == null ? missing() : VerdictRule.directional(c.effect(), dir, floor, zm);
            Outcome q = c.quality() == null ? missing()
                : VerdictRule.nonInferiority(c.quality(), qualityHigherIsBetter, delta, zm);
            Verdict both = Verdict.weakest(e.verdict(), q.verdict());
            Part p = new Part(c.label(), e, q, both);
            parts.add(p);
            minSeeds = Math.min(minSeeds, Math.min(e.seeds(), q.seeds()));
            allFail &= p.fails();
            if (p.passes()) {
                double strength = dir.sign() * c.effect().meanTreatment();
                if (strength > best) {
                    best = strength;
                    chosen = parts.size() - 1;
                }
            }
            sb.append("; ").append(c.label()).append(": ").append(both.label()).append(" (effect ")
                .append(e.verdict().label()).append(", quality ").append(q.verdict().label()).append(')');
        }
        Verdict v = chosen >= 0 ? Verdict.SUPPORTED : allFail ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
        String head = "exists a configuration with the effect (" + dir.label() + ") and quality non-inferior (Δ "
            + VerdictRule.plain(delta) + "), m = " + m + ", z_m = " + String.format(java.util.Locale.ROOT, "%.3f", zm)
            + " on both parts: " + v.label()
            + (v == Verdict.INCONCLUSIVE && minSeeds < VerdictRule.MIN_SEEDS ? " " + VerdictRule.FEWER_THAN_3_SEEDS : "")
            + (chosen >= 0 ? ", chosen " + parts.get(chosen).label() : "");
        List<Outcome> partOutcomes = new ArrayList<>();
        for (Part p : parts) {
            partOutcomes.add(VerdictRule.compound(p.effect(), p.quality()));
        }
        Outcome o = new Outcome(v, Double.NaN, Double.NaN, zm, floor, delta, minSeeds == Integer.MAX_VALUE ? 0
            : minSeeds, chosen, partOutcomes, head + sb);
        return new Result(o, List.copyOf(parts), chosen);
    }

    static Outcome missing() {
        return new Outcome(Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, -1,
            List.of(), "no pair of finished runs");
    }
}
