package org.neuralode4j.train;

import org.neuralode4j.NeuralOdeException;

/** Training cannot go on (a non-finite loss); the message names the epoch and iteration and what to try. */
public class TrainingException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }
}
