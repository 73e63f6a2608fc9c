package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.models.ClassifierSpec;

/**
 * The size check of a classifier before it is built, for options and for a model.json read back: a typo such as
 * {@code --width 64000} or a corrupted file would otherwise end in an OutOfMemoryError rather than one line.
 */
public final class ModelSize {
    /** Most parameters a classifier may have (160 MB of doubles, beyond anything the CLI's data sets need). */
    public static final long MAX_PARAMETERS = 20_000_000L;

    private ModelSize() {}

    /** Parameters of the field MLP (d → width × depth → d, with biases) and head; time inputs add a little more. */
    public static long parameters(long inputDim, long augment, long width, long depth, long classes) {
        long d = inputDim + augment;
        long outputs = classes == 2 ? 1 : classes;
        long field = depth == 0 ? d * d + d : (d + 1) * width + (depth - 1) * (width + 1) * width + (width + 1) * d;
        return field + (d + 1) * outputs;
    }

    /**
     * Refuses a model past {@link #MAX_PARAMETERS}; {@code where} names the source ("--width/--depth/--augment" or
     * the file).
     */
    public static void check(String where, long inputDim, long augment, long width, long depth, long classes) {
        long p = parameters(inputDim, augment, width, depth, classes);
        if (p > MAX_PARAMETERS || p < 0) {
            throw new NeuralOdeException(where + ": a classifier with " + inputDim + " inputs, augment " + augment
                    + ", width " + width + ", depth " + depth + " and " + classes + " classes would have about " + p
                    + " parameters, more than the " + MAX_PARAMETERS + " supported; choose smaller sizes");
        }
    }

    /** As {@link #check(String, long, long, long, long, long)} for a spec. */
    public static void check(String where, ClassifierSpec s) {
        check(where, s.inputDim(), s.augment(), s.width(), s.depth(), s.classes());
    }
}
