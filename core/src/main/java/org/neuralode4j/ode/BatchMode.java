package org.neuralode4j.ode;

/** Whether the batch shares one step sequence or each sample has its own (solvers.md §3.6). */
public enum BatchMode {
    /** One t and h for the whole batch (torchdiffeq). */
    BATCH_WIDE,
    /** Each sample its own t, h, controller memory and counters; finished samples frozen (torchode). */
    PER_SAMPLE
}
