package org.neuralode4j.stability;

/**
 * Supplies constraint states for a given dense block, De Marinis, Guglielmi, Sicilia, Tudisco (2025),
 * {@code stability.md} §2.3 steps 1–3: the same seeded training inputs run through the encoder and the block with
 * the block's current A. Each row is one state x_k of length n.
 */
@FunctionalInterface
public interface StateCollector {
    double[][] collect(DenseBlock block);
}
