package org.neuralode4j.autodiff;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Semantics of {@link Autograd#grad} (as torch.autograd.grad), no-grad scopes, detach and error messages. */
class AutogradTest {
    @Test
    void gradientsAccumulateWhenATensorIsUsedSeveralTimes() {
        Tensor x = Tensor.vector(1.5, -2.0).requiringGrad();
        // f = Σ x·x + 3x  → df/dx = 2x + 3
        Tensor f = sum(add(mul(x, x), mul(x, 3.0)));
        Tensor g = Autograd.grad(f, x);
        assertArrayEquals(new double[] {6.0, -1.0}, g.toArray(), 1e-15);
    }

    @Test
    void vectorJacobianProductForNonScalarOutputs() {
        Tensor x = Tensor.vector(1.0, 2.0, 3.0).requiringGrad();
        Tensor y = square(x);
        Tensor v = Tensor.vector(1.0, 0.5, -1.0);
        Tensor g = Autograd.grad(List.of(y), List.of(x), List.of(v), false, false).get(0);
        assertArrayEquals(new double[] {2.0, 2.0, -6.0}, g.toArray(), 1e-15);
    }

    @Test
    void severalOutputsSumTheirProducts() {
        Tensor x = Tensor.scalar(2.0).requiringGrad();
        Tensor y1 = mul(x, x);
        Tensor y2 = exp(x);
        Tensor g = Autograd.grad(List.of(y1, y2), List.of(x), null, false, false).get(0);
        assertEquals(4.0 + Math.exp(2.0), g.item(), 1e-12);
    }

    @Test
    void gradientWithRespectToAnIntermediateTensor() {
        Tensor x = Tensor.scalar(0.3).requiringGrad();
        Tensor h = tanh(x);
        Tensor y = mul(h, h);
        List<Tensor> g = Autograd.grad(List.of(y), List.of(h, x), null, false, false);
        double t = Math.tanh(0.3);
        assertEquals(2 * t, g.get(0).item(), 1e-15);
        assertEquals(2 * t * (1 - t * t), g.get(1).item(), 1e-15);
    }

    @Test
    void createGraphGivesSecondAndThirdDerivatives() {
        Tensor x = Tensor.scalar(0.7).requiringGrad();
        Tensor y = mul(exp(x), sin2(x));
        Tensor d1 = Autograd.grad(y, List.of(x), true).get(0);
        Tensor d2 = Autograd.grad(d1, List.of(x), true).get(0);
        Tensor d3 = Autograd.grad(d2, List.of(x), false).get(0);
        // y = eˣ·x², y' = eˣ(x² + 2x), y'' = eˣ(x² + 4x + 2), y''' = eˣ(x² + 6x + 6)
        double e = Math.exp(0.7);
        assertEquals(e * (0.49 + 1.4), d1.item(), 1e-13);
        assertEquals(e * (0.49 + 2.8 + 2), d2.item(), 1e-13);
        assertEquals(e * (0.49 + 4.2 + 6), d3.item(), 1e-13);
        assertTrue(d1.requiresGrad());
        assertFalse(d3.requiresGrad(), "without create-graph the result is a plain value");
    }

    private static Tensor sin2(Tensor x) {
        return square(x);
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresTheMode() {
        Tensor x = Tensor.vector(1.0, 2.0).requiringGrad();
        Tensor y;
        try (GradMode.Scope s = GradMode.noGrad()) {
            y = mul(x, x);
            try (GradMode.Scope inner = GradMode.enableGrad()) {
                assertTrue(mul(x, x).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        AutodiffException e = assertThrows(AutodiffException.class, () -> Autograd.grad(sum(y), x));
        assertTrue(e.getMessage().contains("not on the graph"), e.getMessage());
    }

    @Test
    void detachStopsTheGradient() {
        Tensor x = Tensor.scalar(3.0).requiringGrad();
        Tensor y = add(mul(x, x), mul(x.detach(), x)); // d/dx = 2x + x(detached) = 9
        assertEquals(9.0, Autograd.grad(y, x).item(), 1e-15);
    }

    @Test
    void unusedInputIsAnErrorUnlessAllowed() {
        Tensor x = Tensor.scalar(1.0).requiringGrad();
        Tensor z = Tensor.vector(1.0, 2.0).requiringGrad();
        Tensor y = mul(x, 2.0);
        AutodiffException e = assertThrows(AutodiffException.class,
                () -> Autograd.grad(List.of(y), List.of(x, z), null, false, false));
        assertTrue(e.getMessage().contains("input 1") && e.getMessage().contains("[2]"), e.getMessage());
        List<Tensor> g = Autograd.grad(List.of(y), List.of(x, z), null, false, true);
        assertArrayEquals(new double[] {0.0, 0.0}, g.get(1).toArray());
    }

    @Test
    void nonFiniteLossIsRejectedNamingTheOp() {
        Tensor x = Tensor.vector(-1.0, 1.0).requiringGrad();
        Tensor loss = sum(log(x));
        AutodiffException e = assertThrows(AutodiffException.class, () -> Autograd.grad(loss, x));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("'sum'"), e.getMessage());
    }

    @Test
    void nonScalarOutputNeedsGradOutputs() {
        Tensor x = Tensor.vector(1.0, 2.0).requiringGrad();
        AutodiffException e = assertThrows(AutodiffException.class, () -> Autograd.grad(mul(x, x), x));
        assertTrue(e.getMessage().contains("gradOutputs"), e.getMessage());
        AutodiffException e2 = assertThrows(AutodiffException.class,
                () -> Autograd.grad(List.of(mul(x, x)), List.of(x), List.of(Tensor.zeros(3)), false, false));
        assertTrue(e2.getMessage().contains("[3]") && e2.getMessage().contains("[2]"), e2.getMessage());
    }

    @Test
    void inputThatDoesNotRequireGradIsRejected() {
        Tensor x = Tensor.vector(1.0, 2.0);
        Tensor w = Tensor.vector(1.0, 2.0).requiringGrad();
        AutodiffException e = assertThrows(AutodiffException.class, () -> Autograd.grad(dot(x, w), x));
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void shapeErrorsNameTheOpAndTheShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        ShapeException e = assertThrows(ShapeException.class, () -> matmul(a, b));
        assertTrue(e.getMessage().startsWith("matmul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"),
                e.getMessage());
        ShapeException e2 = assertThrows(ShapeException.class, () -> add(Tensor.zeros(2, 3), Tensor.zeros(4)));
        assertTrue(e2.getMessage().startsWith("add") && e2.getMessage().contains("[2, 3]") && e2.getMessage().contains("[4]"),
                e2.getMessage());
        ShapeException e3 = assertThrows(ShapeException.class, () -> conv2d(Tensor.zeros(1, 4, 4, 2), Tensor.zeros(3, 3, 3, 1), 1, 1));
        assertTrue(e3.getMessage().startsWith("conv2d") && e3.getMessage().contains("[1, 4, 4, 2]"), e3.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.zeros(1, 2, 3, 4, 5));
    }

    @Test
    void weightGradientIsSkippedWhenOnlyTheInputIsWanted() {
        // The rule is told which inputs are needed: a gradient w.r.t. x alone must not require w's path.
        Rng r = Rng.seeded(1);
        Tensor x = r.normal(4, 3).requiringGrad();
        Tensor w = r.normal(2, 3).requiringGrad();
        Tensor y = sum(tanh(matmul(x, w, false, true)));
        Tensor gx = Autograd.grad(y, x);
        assertEquals(x.shape(), gx.shape());
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1.0).requiringGrad();
        Tensor y = x;
        for (int i = 0; i < 200_000; i++) {
            y = mul(y, 1.0);
        }
        assertEquals(1.0, Autograd.grad(y, x).item());
    }
}
