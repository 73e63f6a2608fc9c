package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;

/**
 * The one check of every error tolerance a command accepts ({@code --rtol}, {@code --atol}, {@code --eval-tol}, and
 * tolerances read back from a saved model), so that train, eval and the density commands accept and refuse the same
 * values with the same line.
 *
 * <p>Why the bounds: a relative tolerance above 1 lets a step whose error is larger than the state itself pass, so
 * error control is in effect off; one below {@value #MIN_RTOL} asks for more digits than a double holds near 1 and
 * ends in step-size underflow. An absolute tolerance above {@value #MAX_ATOL} switches control off for any state a
 * model produces. NaN and infinities are refused outright.
 */
public final class Tolerances {
    /** Smallest relative tolerance: about 450 ulps of 1.0, the most a dopri5 step can resolve in practice. */
    public static final double MIN_RTOL = 1e-13;
    /** Largest relative tolerance: 100 % of the state. */
    public static final double MAX_RTOL = 1.0;
    /** Largest absolute tolerance. */
    public static final double MAX_ATOL = 1e3;

    private Tolerances() {}

    /** Checks a relative tolerance given as {@code option}; returns it. */
    public static double rtol(String option, double value) {
        if (!Double.isFinite(value) || value < MIN_RTOL || value > MAX_RTOL) {
            throw new NeuralOdeException(option + " must be a number from " + MIN_RTOL + " to " + MAX_RTOL + " (got "
                    + value + ")");
        }
        return value;
    }

    /** Checks an absolute tolerance given as {@code option}; returns it. */
    public static double atol(String option, double value) {
        if (!Double.isFinite(value) || !(value > 0) || value > MAX_ATOL) {
            throw new NeuralOdeException(option + " must be a number above 0 and at most " + MAX_ATOL + " (got "
                    + value + ")");
        }
        return value;
    }
}
