package org.neuralode4j.stability;

/**
 * What each stabilisation round perturbs, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md}
 * §3.6.
 */
public enum Rebase {
    /** Perturb the trained A0 against every state seen so far (the set only grows; ε is non-decreasing). */
    ORIGINAL,
    /** Perturb the current A against the latest round's states only. */
    CURRENT
}
