package org.neuralode4j;

/**
 * Root of every error the library throws. Unchecked: a shape mismatch or a diverging solve is a programming or
 * configuration error the caller fixes, not a condition to be handled at each call.
 *
 * <p>Messages are one line: what failed, where, and what to try.
 */
public class NeuralOdeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NeuralOdeException(String message) {
        super(message);
    }

    public NeuralOdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
