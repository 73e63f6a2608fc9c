package org.neuralode4j.stability;

/** Why the inner level stopped, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.4. */
public enum InnerExit {
    /** m ≤ τ: every state satisfied. */
    FEASIBLE,
    /** maxInner iterations done. */
    MAX_ITER,
    /** ‖Ė‖ ≤ statTol·‖G‖: E is (numerically) −G/‖G‖, a minimiser over the ball (§3.1). */
    STATIONARY,
    /** No decrease within safeStop step reductions; E unchanged. The outer level treats ε as infeasible. */
    NO_DECREASE,
    /** The accepted step decreased F by at most stagTol·F. */
    STAGNATION
}
