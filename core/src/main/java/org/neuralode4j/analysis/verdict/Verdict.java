package org.neuralode4j.analysis.verdict;

/**
 * The verdict a claim receives (evaluation.md §4.4; claims.md §0).
 *
 * <p>{@link #MIXED} only arises from aggregation over tasks and {@link #NOT_TESTED} only for claims outside the
 * CPU-scaled study; the single-comparison rules produce SUPPORTED, NOT_SUPPORTED or INCONCLUSIVE.
 */
public enum Verdict {
    SUPPORTED("supported"),
    NOT_SUPPORTED("not supported"),
    MIXED("mixed"),
    INCONCLUSIVE("inconclusive"),
    /**
     * The situation the claim is about did not occur in the run (claims.md §0.1, e.g. R4 when unregularised
     * fixed-grid training does not fail), so the data can neither support nor refute it.
     */
    PREMISE_NOT_MET("premise not met"),
    NOT_TESTED("not tested");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The lower-case wording the report prints, e.g. "not supported". */
    public String label() {
        return label;
    }

    /**
     * Strength rank for compound claims: the spec orders not supported &lt; inconclusive &lt; supported (§4.4).
     * MIXED sits just above NOT_SUPPORTED because it already contains a task where the claim failed.
     */
    private int strength() {
        return switch (this) {
            case NOT_SUPPORTED -> 0;
            case MIXED -> 1;
            case PREMISE_NOT_MET -> 2;
            case INCONCLUSIVE -> 3;
            case SUPPORTED -> 4;
            case NOT_TESTED -> -1;
        };
    }

    /**
     * The weakest of the given verdicts (compound claims, evaluation.md §4.4), in the order
     * not supported &lt; mixed &lt; premise not met &lt; inconclusive &lt; supported.
     *
     * <p>NOT_TESTED: a part that failed still sinks the compound (a NOT_SUPPORTED part decides), but otherwise an
     * untested part means the compound cannot be called supported or inconclusive on evidence, so the result is
     * NOT_TESTED. No arguments → NOT_TESTED.
     */
    public static Verdict weakest(Verdict... verdicts) {
        if (verdicts == null || verdicts.length == 0) return NOT_TESTED;
        Verdict worst = null;
        boolean untested = false;
        for (Verdict v : verdicts) {
            if (v == null) throw new IllegalArgumentException("null verdict");
            if (v == NOT_TESTED) {
                untested = true;
                continue;
            }
            if (worst == null || v.strength() < worst.strength()) worst = v;
        }
        if (worst == NOT_SUPPORTED) return NOT_SUPPORTED;
        if (untested) return NOT_TESTED;
        return worst;
    }
}
