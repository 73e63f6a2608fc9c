package org.neuralode4j.stability;

import org.neuralode4j.NeuralOdeException;

/**
 * The errors of the stabiliser, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.9. One line
 * naming the state k, the unit i and the round where they apply, and what to do.
 */
public final class StabilityException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    /** Which case of the §3.9 table. */
    public enum Kind {
        /** K = 0. */
        NO_STATES,
        /** A, a state or an eigenvalue is NaN or infinite. */
        NON_FINITE,
        /** δ &lt; 0 with a state whose activation derivative vanishes (d_min ≤ dFloor). */
        INFEASIBLE,
        /** An option outside its range or a combination the method does not support. */
        UNSUPPORTED
    }

    private final Kind kind;

    public StabilityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
