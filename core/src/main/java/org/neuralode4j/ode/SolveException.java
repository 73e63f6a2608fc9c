package org.neuralode4j.ode;

import java.util.Locale;
import org.neuralode4j.NeuralOdeException;

/**
 * A solve stopped (solvers.md §5): non-finite values, step-size underflow, too many steps, or a step below the
 * minimum. The message is one line; the fields stay on the exception for programs.
 */
public class SolveException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind { NON_FINITE, STEP_UNDERFLOW, MAX_STEPS, MIN_STEP }

    /** Which solve was running. */
    public enum Phase { FORWARD, BACKWARD_ADJOINT, BACKWARD_INTERPOLATED }

    private final Kind kind;
    private final Phase phase;
    private final double t;
    private final int attempt;
    private final int sample;

    public SolveException(Kind kind, Phase phase, double t, int attempt, int sample, String message) {
        super(message);
        this.kind = kind;
        this.phase = phase;
        this.t = t;
        this.attempt = attempt;
        this.sample = sample;
    }

    public Kind kind() {
        return kind;
    }

    public Phase phase() {
        return phase;
    }

    /** Time at the start of the failing attempt. */
    public double t() {
        return t;
    }

    /** 1-based index of the failing attempt. */
    public int attempt() {
        return attempt;
    }

    /** First offending sample, or −1 when the failure is not tied to one. */
    public int sample() {
        return sample;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
