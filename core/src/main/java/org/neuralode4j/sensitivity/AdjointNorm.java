package org.neuralode4j.sensitivity;

/** Which parts of the backward state control its steps (gradients.md §2.3). */
public enum AdjointNorm {
    /** z, a and the parameter adjoints a_θ all count (torchdiffeq's default). */
    FULL,
    /** a_θ is an integral channel — nothing reads it — so it is left out of step control (Kidger et al. 2021). */
    SEMINORM
}
