package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;

/**
 * The range check of a count option (points, widths, grid sides). The upper bounds keep a typo such as
 * {@code --grid 1000000} from ending in an OutOfMemoryError: each is far beyond what the commands' data sets and
 * pictures need, and the message names the option and the range.
 */
public final class Counts {
    /** Most points drawn or evaluated at once by an option (a million 2-D points: 16 MB, plus the solve's work). */
    public static final int MAX_POINTS = 1_000_000;
    /** Most hidden units of one layer. */
    public static final int MAX_WIDTH = 4096;

    private Counts() {}

    /** Returns {@code value} when {@code min <= value <= max}, else one line naming the option. */
    public static int check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new NeuralOdeException(option + " must be from " + min + " to " + max + " (got " + value + ")");
        }
        return value;
    }
}
