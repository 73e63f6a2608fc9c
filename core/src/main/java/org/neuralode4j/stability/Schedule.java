package org.neuralode4j.stability;

/** Where stabilisation enters training, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §4.1. */
public enum Schedule {
    /** Train normally, then STABILISE and fine-tune (default). */
    POST_HOC,
    /** One STABILISE round (rebase CURRENT) every k epochs, resetting A's and b's optimiser moments; then POST_HOC. */
    INTERLEAVED
}
