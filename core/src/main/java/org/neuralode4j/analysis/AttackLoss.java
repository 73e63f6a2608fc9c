package org.neuralode4j.analysis;

/**
 * The loss an attack ascends (evaluation.md §2.1). Both are summed over the batch, so a sample's gradient does
 * not depend on its batch mates or on the batch size.
 */
public enum AttackLoss {
    /** Cross-entropy of the logits against the true label; binary models use BCE with logits. The default. */
    CROSS_ENTROPY,
    /**
     * max_{c≠y} ℓ_c − ℓ_y (binary: −s·g with s = 2y − 1). Unlike cross-entropy it does not saturate when the
     * softmax probabilities round to 0 or 1, so it still has a gradient on confidently classified points; the
     * PGD margin search (§3.3) uses it.
     */
    MARGIN
}
