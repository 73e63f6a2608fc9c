package org.neuralode4j.ode;

import java.util.Arrays;

/**
 * Statistics of one solve (solvers.md §6). The forward part is fixed at construction; the backward part is
 * written once by the gradient method after its backward sweep.
 */
public final class SolveStats {
    private final long nfe;
    private final int initialNfe;
    private final int attempts;
    private final int accepted;
    private final int rejected;
    private final long rowEvaluations;
    private final double firstStep;
    private final long denseBytes;
    private final int[] sampleNfe;
    private final int[] sampleAttempts;
    private final int[] sampleAccepted;
    private final int[] sampleRejected;

    private volatile Backward backward;

    /**
     * Statistics of a backward sweep.
     *
     * @param nfe                 evaluations of the augmented right-hand side (0 for direct)
     * @param steps               accepted backward steps
     * @param rejected            rejected backward steps
     * @param memoryBytes         memory held for the backward pass: recorded values (direct) or stored outputs/nodes
     * @param reconstructionError backsolve: max over intervals of the relative error of the re-computed z; else NaN
     */
    public record Backward(long nfe, int steps, int rejected, long memoryBytes, double reconstructionError) {}

    public SolveStats(long nfe, int initialNfe, int attempts, int accepted, int rejected, long rowEvaluations,
                      double firstStep, long denseBytes, int[] sampleNfe, int[] sampleAttempts, int[] sampleAccepted,
                      int[] sampleRejected) {
        this.nfe = nfe;
        this.initialNfe = initialNfe;
        this.attempts = attempts;
        this.accepted = accepted;
        this.rejected = rejected;
        this.rowEvaluations = rowEvaluations;
        this.firstStep = firstStep;
        this.denseBytes = denseBytes;
        this.sampleNfe = sampleNfe == null ? null : sampleNfe.clone();
        this.sampleAttempts = sampleAttempts == null ? null : sampleAttempts.clone();
        this.sampleAccepted = sampleAccepted == null ? null : sampleAccepted.clone();
        this.sampleRejected = sampleRejected == null ? null : sampleRejected.clone();
    }

    /** Calls of f (one call evaluates the whole batch or its running rows). */
    public long nfe() {
        return nfe;
    }

    /** Evaluations before the first step: k_1, plus one when the initial-step heuristic ran. */
    public int initialNfe() {
        return initialNfe;
    }

    /** Attempted steps (accepted + rejected); in per-sample mode the maximum over samples. */
    public int attempts() {
        return attempts;
    }

    public int accepted() {
        return accepted;
    }

    public int rejected() {
        return rejected;
    }

    /** Σ rows passed to f: the cost measure when samples stop at different times. */
    public long rowEvaluations() {
        return rowEvaluations;
    }

    /** The first step size used. */
    public double firstStep() {
        return firstStep;
    }

    /** Bytes held by dense output (0 when not requested). */
    public long denseBytes() {
        return denseBytes;
    }

    /** Per-sample NFE (per-sample mode), or null. */
    public int[] sampleNfe() {
        return sampleNfe == null ? null : sampleNfe.clone();
    }

    public int[] sampleAttempts() {
        return sampleAttempts == null ? null : sampleAttempts.clone();
    }

    public int[] sampleAccepted() {
        return sampleAccepted == null ? null : sampleAccepted.clone();
    }

    public int[] sampleRejected() {
        return sampleRejected == null ? null : sampleRejected.clone();
    }

    /** The backward sweep's statistics, or null before (or without) one. */
    public Backward backward() {
        return backward;
    }

    /** Records the backward sweep's statistics; allowed once. */
    public synchronized void setBackward(Backward b) {
        if (backward != null) {
            throw new IllegalStateException("backward statistics already recorded for this solve");
        }
        backward = b;
    }

    @Override
    public String toString() {
        String s = "nfe=" + nfe + " (initial " + initialNfe + "), attempts=" + attempts + " (accepted " + accepted
                + ", rejected " + rejected + ")";
        if (sampleNfe != null) {
            s += ", per-sample nfe=" + Arrays.toString(sampleNfe);
        }
        Backward b = backward;
        if (b != null) {
            s += "; backward nfe=" + b.nfe() + ", steps=" + b.steps() + ", memory=" + b.memoryBytes() + " B";
            if (!Double.isNaN(b.reconstructionError())) {
                s += ", reconstruction error=" + b.reconstructionError();
            }
        }
        return s;
    }
}
