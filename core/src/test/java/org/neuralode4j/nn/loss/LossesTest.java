package org.neuralode4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.GradChecks;

/** Losses against hand computation, their stability at large logits, first- and second-order gradients; accuracy. */
@Tag("kernels")
class LossesTest {
    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void report(String what, double err) {
        System.out.printf("[gradcheck] %-60s max rel err %.3e%n", what, err);
    }

    @Test
    void bceMatchesDefinition() {
        double[] x = {0.5, -1.2, 3.0, 0.0, -0.3};
        double[] y = {1, 0, 1, 0, 1};
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            expected += -y[i] * Math.log(sig(x[i])) - (1 - y[i]) * Math.log(1 - sig(x[i]));
        }
        expected /= x.length;
        assertEquals(expected, BceWithLogits.mean(Tensor.vector(x), Tensor.vector(y)).item(), 1e-15);
        assertEquals(expected, BceWithLogits.mean(Tensor.of(x, 5, 1), Tensor.of(y, 5, 1)).item(), 1e-15);
    }

    @Test
    void bceIsStableAndExactAtTheKink() {
        // Each confidently wrong logit costs |x|: a naive log(1 − σ(800)) would be −Inf.
        assertEquals(800.0, BceWithLogits.mean(Tensor.vector(800, -800), Tensor.vector(0, 1)).item(), 1e-12);
        assertEquals(0.0, BceWithLogits.mean(Tensor.vector(800, -800), Tensor.vector(1, 0)).item(), 1e-300);
        Tensor x = Tensor.vector(0.0, 0.0).requiringGrad();
        Tensor g = Autograd.grad(BceWithLogits.mean(x, Tensor.vector(1, 0)), x);
        // (σ(0) − y)/B: −0.25 and +0.25.
        assertArrayEquals(new double[] {-0.25, 0.25}, g.toArray(), 1e-15);
    }

    @Test
    void bceRejectsBadInput() {
        assertThrows(ShapeException.class, () -> BceWithLogits.mean(Tensor.zeros(3, 1), Tensor.zeros(3)));
        assertThrows(ShapeException.class, () -> BceWithLogits.mean(Tensor.zeros(3, 2), Tensor.zeros(3, 2)));
        NeuralOdeException e = assertThrows(NeuralOdeException.class,
                () -> BceWithLogits.mean(Tensor.zeros(2), Tensor.vector(0, 2)));
        assertTrue(e.getMessage().contains("target 1"), e.getMessage());
    }

    @Test
    void crossEntropyMatchesDefinition() {
        double[][] x = {{1, 2, 3}, {0, 0, 0}, {-1, 5, 0.5}};
        int[] labels = {2, 1, 0};
        double expected = 0;
        for (int r = 0; r < 3; r++) {
            double z = 0;
            for (double v : x[r]) {
                z += Math.exp(v);
            }
            expected += -(x[r][labels[r]] - Math.log(z));
        }
        expected /= 3;
        assertEquals(expected, CrossEntropy.mean(Tensor.of(x), labels).item(), 1e-14);
        // log Σ exp over {1000, 0, 2000} is 2000 to double precision: no overflow.
        assertEquals(0.0, CrossEntropy.mean(Tensor.of(new double[][] {{1000, 0, 2000}}), new int[] {2}).item(), 1e-12);
        assertEquals(1000.0, CrossEntropy.mean(Tensor.of(new double[][] {{1000, 0, 2000}}), new int[] {0}).item(), 1e-12);
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        Tensor x = Tensor.zeros(2, 3);
        assertThrows(NeuralOdeException.class, () -> CrossEntropy.mean(x, new int[] {0, 3}));
        assertThrows(NeuralOdeException.class, () -> CrossEntropy.mean(x, new int[] {-1, 0}));
        assertThrows(ShapeException.class, () -> CrossEntropy.mean(x, new int[] {0}));
    }

    @Test
    void mseMatchesDefinition() {
        assertEquals((1 + 4 + 0.25) / 3, Mse.mean(Tensor.vector(1, 2, 3), Tensor.vector(0, 4, 2.5)).item(), 1e-15);
        assertThrows(ShapeException.class, () -> Mse.mean(Tensor.zeros(3, 1), Tensor.zeros(3)));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = Rng.seeded(1);
        Tensor logits = rng.normal(6);
        Tensor targets = Tensor.vector(1, 0, 0, 1, 1, 0);
        report("BceWithLogits B=6 first order", GradChecks.assertFirstOrder("bce",
                a -> BceWithLogits.mean(a.get(0), targets), List.of(logits), 1e-6));
        report("BceWithLogits B=6 second order", GradChecks.assertSecondOrder("bce",
                a -> BceWithLogits.mean(a.get(0), targets), List.of(logits), 2, 1e-6));
        Tensor z = rng.normal(5, 4);
        int[] labels = {0, 3, 1, 1, 2};
        report("CrossEntropy B=5 K=4 first order", GradChecks.assertFirstOrder("ce",
                a -> CrossEntropy.mean(a.get(0), labels), List.of(z), 1e-6));
        report("CrossEntropy B=5 K=4 second order", GradChecks.assertSecondOrder("ce",
                a -> CrossEntropy.mean(a.get(0), labels), List.of(z), 3, 1e-6));
        Tensor p = rng.normal(4, 2);
        Tensor q = rng.normal(4, 2);
        GradCheck.Result r = GradCheck.check(a -> Mse.mean(a.get(0), a.get(1)), List.of(p, q), 1e-6);
        report("Mse [4, 2] first order (both arguments)", r.maxError());
        assertTrue(r.maxError() <= 1e-6, "mse " + r.maxError());
    }

    @Test
    void accuracies() {
        assertEquals(0.75, Accuracy.binary(Tensor.vector(0.3, -2, 1, -0.1), Tensor.vector(1, 0, 0, 0)), 0.0);
        assertEquals(2.0 / 3, Accuracy.multiclass(Tensor.of(new double[][] {{1, 2, 3}, {5, 0, 0}, {0, 1, 0}}),
                new int[] {2, 0, 2}), 1e-15);
        assertThrows(ShapeException.class, () -> Accuracy.binary(Tensor.zeros(2), Tensor.zeros(3)));
    }
}
