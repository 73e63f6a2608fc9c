package org.neuralode4j.nn.optim;

import java.util.HashMap;
import java.util.Map;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Shape;
import org.neuralode4j.tensor.Tensor;

/**
 * Reusable buffers for an optimiser's new parameter values, one per distinct size: {@code Tensor.of} copies
 * its input (which must have exactly the tensor's size), so a buffer can be refilled for the next parameter,
 * and a step allocates only the new tensors.
 */
final class Scratch {
    private final Map<Integer, double[]> buffers = new HashMap<>();

    /** The buffer of exactly n values (contents unspecified). */
    double[] get(int n) {
        return buffers.computeIfAbsent(n, double[]::new);
    }

    /** A tensor of {@code shape} and {@code dtype} holding a copy of the buffer of its size (rounded for f32). */
    Tensor tensor(DType dtype, Shape shape) {
        return Tensor.of(dtype, get(shape.size()), shape.dims());
    }
}
