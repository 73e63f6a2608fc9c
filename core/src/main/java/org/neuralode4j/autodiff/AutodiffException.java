package org.neuralode4j.autodiff;

import org.neuralode4j.NeuralOdeException;

/** Misuse of differentiation: an output not on the graph, an unused input, a non-finite loss, a first-order-only rule. */
public class AutodiffException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public AutodiffException(String message) {
        super(message);
    }
}
