package org.neuralode4j.analysis.verdict;

/** The direction a directional or existential claim states for treatment versus baseline (evaluation.md §4.4). */
public enum Direction {
    /** "T lowers X": d̄ = X_T − X_B is claimed negative. */
    LOWERS("lowers"),
    /** "T raises X": d̄ is claimed positive. */
    RAISES("raises");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** +1 for RAISES, −1 for LOWERS: multiplying d̄ by this makes "in the claimed direction" positive. */
    public int sign() {
        return this == RAISES ? 1 : -1;
    }

    /** The observed direction of a difference, or {@code null} when d̄ is exactly 0 (or NaN). */
    public static Direction of(double dBar) {
        if (dBar > 0) return RAISES;
        if (dBar < 0) return LOWERS;
        return null;
    }
}
