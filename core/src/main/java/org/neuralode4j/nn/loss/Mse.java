package org.neuralode4j.nn.loss;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Mean squared error, the regression loss. */
public final class Mse {
    private Mse() {}

    /**
     * mean((a − b)²) over all elements. The shapes must be equal: broadcasting a prediction [B, 1] against a
     * target [B] would silently average a B×B table.
     */
    public static Tensor mean(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw ShapeException.of("Mse.mean", "shapes differ", a.shape(), b.shape());
        }
        return Ops.mean(Ops.square(Ops.sub(a, b)));
    }
}
