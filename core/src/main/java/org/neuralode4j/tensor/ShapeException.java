package org.neuralode4j.tensor;

import org.neuralode4j.NeuralOdeException;

/** A tensor op received operands whose shapes do not fit; the message names the op and every operand shape. */
public class ShapeException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }

    /** Builds "op: problem (shapes [2, 3], [4])". */
    public static ShapeException of(String op, String problem, Shape... shapes) {
        StringBuilder sb = new StringBuilder(op).append(": ").append(problem).append(" (shapes ");
        for (int i = 0; i < shapes.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shapes[i]);
        }
        return new ShapeException(sb.append(')').toString());
    }
}
