package org.neuralode4j.stability;

/** What is fine-tuned after STABILISE, with A and b frozen, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §4.1. */
public enum FineTune {
    /** The head only, 1 epoch, fresh optimiser: the ODE states do not move, so every μ₂ is unchanged (default). */
    HEAD,
    /** Encoder and head: x(0) moves, so m is re-measured and one more round runs if m &gt; τ. */
    ENCODER_AND_HEAD,
    /** No fine-tuning. */
    NONE
}
