package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.tensor.DType;
import picocli.CommandLine.Option;

/**
 * {@code --dtype f32|f64}: the precision of a model's parameters and state, on every command that trains; time, step
 * sizes, tolerances and the error ratio stay float64 either way. float32 is the default, as in PyTorch: at every step
 * of a W1 run a float32 step computes the float64 gradient of the same weights to float32 accuracy, and the W1 runs
 * that miss 0.99 are derailed by a gradient spike that float64 takes from the same weights in the same way
 * (docs/benchmarks/w1.md). Models that train in float64 only for now (the log-norm block) take float64 when
 * {@code --dtype} is not given and refuse an explicit f32.
 */
public final class PrecisionOption {
    /** The precision of a run that does not say. */
    public static final DType DEFAULT = DType.F32;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of parameters and state: f32 or f64"
            + " (default f32; solver time, steps and tolerances are always float64).")
    public String dtype;

    /** The chosen dtype, {@link #DEFAULT} when {@code --dtype} was not given. */
    public DType dtype() {
        if (dtype == null) {
            return DEFAULT;
        }
        try {
            return DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new NeuralOdeException("--dtype " + dtype + " is not a precision: use f32 or f64");
        }
    }

    /**
     * The dtype of a model that trains in float64 only for now: float64 when {@code --dtype} was not given, otherwise
     * the given one, which must be f64 ({@code refusal} says which model and why, for the error).
     */
    public DType float64Only(String refusal) {
        DType d = dtype == null ? DType.F64 : dtype();
        if (d != DType.F64) {
            throw new NeuralOdeException(refusal + ": drop --dtype " + dtype);
        }
        return d;
    }
}
