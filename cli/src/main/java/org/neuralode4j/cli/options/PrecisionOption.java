package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.tensor.DType;
import picocli.CommandLine.Option;

/**
 * {@code --dtype f32|f64}: the precision of a model's parameters and state, on every command that trains. float32
 * is the default because it is what PyTorch users train in (and what the reference harness runs); time, step
 * sizes, tolerances and the error ratio stay float64 either way.
 */
public final class PrecisionOption {
    /** The precision of a run that does not say. */
    public static final DType DEFAULT = DType.F32;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of parameters and state: f32 or f64"
            + " (default f32, as PyTorch; solver time, steps and tolerances are always float64).")
    public String dtype = DEFAULT.label();

    /** The chosen dtype. */
    public DType dtype() {
        try {
            return DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new NeuralOdeException("--dtype " + dtype + " is not a precision: use f32 or f64");
        }
    }
}
