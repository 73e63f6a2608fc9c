package org.neuralode4j.tensor;

import org.neuralode4j.NeuralOdeException;

/**
 * An op received tensors of different dtypes. Ops never promote silently (a float32 model fed a float64 batch
 * would otherwise run, slowly and differently, in float64): convert explicitly with {@code Ops.cast}.
 */
public class DTypeException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    public DTypeException(String message) {
        super(message);
    }

    /** "op: mixed dtypes f32 and f64; convert one operand with Ops.cast". */
    static DTypeException mixed(String op, DType a, DType b) {
        return new DTypeException(op + ": mixed dtypes " + a.label() + " and " + b.label()
                + "; ops do not promote, convert one operand with Ops.cast (or Tensor.to)");
    }
}
