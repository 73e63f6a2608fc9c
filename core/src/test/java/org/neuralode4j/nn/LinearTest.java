package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Linear: output against hand computation, parameter layout, first-order gradients w.r.t. x, W and b. */
@Tag("kernels")
class LinearTest {
    @Test
    void forwardMatchesHandComputation() {
        Linear lin = new Linear(2, 3, true, Rng.seeded(1));
        lin.weight().set(Tensor.of(new double[][] {{1, 2}, {-1, 0.5}, {0, 3}}));
        lin.bias().orElseThrow().set(Tensor.vector(0.1, 0.2, 0.3));
        Tensor x = Tensor.of(new double[][] {{1, -1}, {2, 4}});
        // Row 0: [1 − 2, −1 − 0.5, −3] + b; row 1: [2 + 8, −2 + 2, 12] + b.
        assertArrayEquals(new double[] {-0.9, -1.3, -2.7, 10.1, 0.2, 12.3}, lin.forward(x).toArray(), 1e-15);
        assertEquals(List.of(3, 2), List.of(lin.weight().shape().dim(0), lin.weight().shape().dim(1)));
    }

    @Test
    void withoutBiasHasOnlyTheWeight() {
        Linear lin = new Linear(4, 2, false, Rng.seeded(2));
        assertFalse(lin.bias().isPresent());
        assertEquals(1, lin.parameters().size());
        assertEquals(8, lin.parameterCount());
        Tensor x = Rng.seeded(3).normal(5, 4);
        Tensor expected = Ops.matmul(x, Ops.transpose(lin.weight().value()));
        assertArrayEquals(expected.toArray(), lin.forward(x).toArray(), 1e-14);
    }

    @Test
    void acceptsABatchOfSequences() {
        Linear lin = new Linear(3, 2, true, Rng.seeded(4));
        Tensor x = Rng.seeded(5).normal(2, 4, 3);
        Tensor y = lin.forward(x);
        assertEquals(List.of(2, 4, 2), List.of(y.dim(0), y.dim(1), y.dim(2)));
        Tensor row = lin.forward(Ops.reshape(Ops.slice(Ops.slice(x, 0, 1, 2), 1, 2, 3), 1, 3));
        assertEquals(row.get(0, 1), y.get(1, 2, 1), 1e-14);
    }

    @Test
    void rejectsAWrongInputWidth() {
        Linear lin = new Linear(3, 2, true, Rng.seeded(6));
        ShapeException e = assertThrows(ShapeException.class, () -> lin.forward(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("Linear(3 -> 2)"), e.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = Rng.seeded(7);
        Linear lin = new Linear(4, 3, true, rng);
        Tensor x = rng.normal(5, 4);
        Tensor u = rng.normal(5, 3);
        ModuleGradCheck.assertWithin("Linear 4->3, B=5: d<u, y>/d(x, W, b)",
                ModuleGradCheck.check(lin, List.of(x), (m, in) -> Ops.dot(((Module) m).forward(in.get(0)), u)), 1e-6);
        ModuleGradCheck.assertWithin("Linear 4->3, B=5: d sum(tanh(y)^2)/d(x, W, b)",
                ModuleGradCheck.check(lin, List.of(x), (m, in) -> Ops.sumSquares(Ops.tanh(((Module) m).forward(in.get(0))))), 1e-6);
    }
}
