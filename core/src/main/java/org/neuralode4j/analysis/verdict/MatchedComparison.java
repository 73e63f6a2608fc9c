package org.neuralode4j.analysis.verdict;

import java.util.List;

/**
 * A comparison at matched cost (claims.md §0.1, row J4): among candidate arms (the Frobenius λ grid), the one whose
 * mean cost (test NFE, compared on log10) is nearest the target arm's (the κ arm) is compared with it on a quality
 * metric, and the difference is reported with its interval d̄ ± z·se. It is reported beside the verdict, not used by
 * it: the matched arm is chosen from the data.
 */
public final class MatchedComparison {
    private MatchedComparison() {}

    /** One candidate arm: label, per-seed cost and per-seed quality (seed order as the target's). */
    public record Candidate(String label, double[] cost, double[] quality) {}

    /**
     * The matched pair: the candidate's label and mean cost, the target's mean cost, the comparison target minus
     * candidate on quality, and its interval.
     */
    public record Result(String label, double targetCost, double matchedCost, PairedComparison comparison,
            double low, double high) {
        public String explanation() {
            return "matched " + label + " (mean cost " + VerdictRule.num(matchedCost) + " vs "
                + VerdictRule.num(targetCost) + "): quality difference " + VerdictRule.num(comparison.meanDiff()) + " ["
                + VerdictRule.num(low) + ", " + VerdictRule.num(high) + "] (" + comparison.scale().label() + ", S = "
                + comparison.seeds() + ")";
        }
    }

    /**
     * @param z the interval's multiplier (2 by default)
     * @return the nearest candidate's comparison, or null when no candidate has a positive finite mean cost
     */
    public static Result nearest(double[] targetCost, double[] targetQuality, List<Candidate> candidates,
            Scale qualityScale, double z) {
        double target = Math.log10(PairedComparison.mean(targetCost));
        Candidate best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Candidate c : candidates) {
            double mean = PairedComparison.mean(c.cost());
            if (!(mean > 0) || !Double.isFinite(mean)) continue;
            double distance = Math.abs(Math.log10(mean) - target);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        if (best == null || !Double.isFinite(target)) return null;
        PairedComparison pc = PairedComparison.of(best.quality(), targetQuality, qualityScale);
        double d = pc.meanDiff();
        double se = pc.se();
        return new Result(best.label(), PairedComparison.mean(targetCost), PairedComparison.mean(best.cost()), pc,
            d - z * se, d + z * se);
    }
}
