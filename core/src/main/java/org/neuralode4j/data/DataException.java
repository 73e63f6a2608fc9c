package org.neuralode4j.data;

import org.neuralode4j.NeuralOdeException;

/** Malformed or inconsistent data; the message names the file and row where there is one. */
public class DataException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
