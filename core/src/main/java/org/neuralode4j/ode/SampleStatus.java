package org.neuralode4j.ode;

/** How a sample's solve ended. */
public enum SampleStatus {
    OK,
    /** Stopped by the max-steps limit (with {@code OnLimit.RETURN_PARTIAL}). */
    MAX_STEPS,
    /** Stopped by the min-step limit (with {@code OnLimit.RETURN_PARTIAL}). */
    MIN_STEP,
    /** Stopped by a non-finite value or step underflow (with partial results or per-sample freezing). */
    FAILED
}
