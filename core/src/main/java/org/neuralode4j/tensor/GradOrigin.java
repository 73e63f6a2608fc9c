package org.neuralode4j.tensor;

/**
 * The record of how a tensor was computed, attached by {@code autodiff} to op results that need gradients.
 *
 * <p>This marker keeps {@code tensor} ignorant of {@code autodiff} while letting the graph's lifetime follow
 * reachability, as in PyTorch: a result keeps its history alive, and history nobody can reach is collected.
 * (A global tape keyed by tensor ids would need explicit resets between training iterations, and forgetting
 * one leaks every iteration's graph.)
 */
public interface GradOrigin {
    /** Name of the op that produced the tensor, for error messages. */
    String opName();
}
