package org.neuralode4j.ode.control;

/**
 * Controller memory carried by the loop as a value (one per sample in per-sample mode).
 *
 * @param prevRatio    error ratio of the last accepted step, floored at 1e-4 (the PI term)
 * @param lastRejected whether the previous attempt was rejected (for no-growth-after-reject)
 */
public record ControllerState(double prevRatio, boolean lastRejected) {}
