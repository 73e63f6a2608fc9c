package org.neuralode4j.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Sequential;
import org.neuralode4j.nn.loss.Mse;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Tensor;

/**
 * Adam and SGD against two-step updates computed here with plain doubles (in the textbook bias-corrected form,
 * not the implementation's) and against values from an independent Python transcription of the PyTorch
 * algorithms; state per parameter, validation, and convergence on small regressions.
 */
class OptimizerTest {
    private static final double[] THETA0 = {0.5, -1.0, 2.0};
    private static final double[][] GRADS = {{0.1, -0.2, 0.0}, {0.3, 0.05, -1e-3}};

    private static double[] run(Optimizer opt) {
        Parameter p = new Parameter("w", Tensor.vector(THETA0));
        for (double[] g : GRADS) {
            opt.step(List.of(p), List.of(Tensor.vector(g)));
        }
        return p.value().toArray();
    }

    /** m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − lr·m̂/(√v̂ + ε), gradients with λθ added. */
    private static double[] adamByHand(double lr, double wd) {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] th = THETA0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int k = 0; k < 3; k++) {
                double g = GRADS[t - 1][k] + wd * th[k];
                m[k] = b1 * m[k] + (1 - b1) * g;
                v[k] = b2 * v[k] + (1 - b2) * g * g;
                double mh = m[k] / (1 - Math.pow(b1, t));
                double vh = v[k] / (1 - Math.pow(b2, t));
                th[k] -= lr * mh / (Math.sqrt(vh) + eps);
            }
        }
        return th;
    }

    private static double[] sgdByHand(double lr, double mu, double wd, boolean nesterov) {
        double[] th = THETA0.clone();
        double[] buf = null;
        for (double[] grad : GRADS) {
            double[] d = new double[3];
            for (int k = 0; k < 3; k++) {
                d[k] = grad[k] + wd * th[k];
            }
            if (buf == null) {
                buf = d.clone();
            } else {
                for (int k = 0; k < 3; k++) {
                    buf[k] = mu * buf[k] + d[k];
                }
            }
            for (int k = 0; k < 3; k++) {
                th[k] -= lr * (nesterov ? d[k] + mu * buf[k] : buf[k]);
            }
        }
        return th;
    }

    /**
     * In float32 a parameter stays float32 and each step is the float64 update of its float32 value, rounded once:
     * replayed here step by step from the float64 optimiser on the rounded values.
     */
    @Test
    void float32ParametersStayFloat32AndTakeTheRoundedUpdate() {
        for (boolean adam : new boolean[] {true, false}) {
            Optimizer f32 = adam ? new Adam(0.01) : new Sgd(0.1, 0.9, 0.0, false);
            Optimizer f64 = adam ? new Adam(0.01) : new Sgd(0.1, 0.9, 0.0, false);
            Parameter p = new Parameter("w", Tensor.of(DType.F32, THETA0, 3));
            Parameter q = new Parameter("w", Tensor.vector(THETA0));
            q.set(p.value().to(DType.F64));
            for (double[] g : GRADS) {
                f32.step(List.of(p), List.of(Tensor.of(DType.F32, g, 3)));
                f64.step(List.of(q), List.of(Tensor.vector(g).to(DType.F32).to(DType.F64)));
                assertEquals(DType.F32, p.value().dtype());
                for (int k = 0; k < 3; k++) {
                    assertEquals((float) q.value().getFlat(k), p.value().getFlat(k), 0.0, (adam ? "Adam" : "SGD") + " entry " + k);
                }
                q.set(p.value().to(DType.F64));
            }
            Parameter r = new Parameter("w", Tensor.of(DType.F32, THETA0, 3));
            NeuralOdeException e = assertThrows(NeuralOdeException.class,
                    () -> f32.step(List.of(r), List.of(Tensor.vector(GRADS[0]))));
            assertTrue(e.getMessage().contains("gradient 0 is f64 but parameter 'w' is f32"), e.getMessage());
        }
    }

    @Test
    void adamTwoSteps() {
        assertArrayEquals(adamByHand(0.01, 0.0), run(new Adam(0.01)), 1e-15);
        assertArrayEquals(new double[] {0.480822190220559, -0.9853053191100446, 2.007441263026631}, run(new Adam(0.01)), 1e-15);
        assertArrayEquals(adamByHand(0.01, 0.1), run(new Adam(0.01, 0.9, 0.999, 1e-8, 0.1)), 1e-15);
        assertArrayEquals(new double[] {0.4805180578399635, -0.9821870199993421, 1.9800027468982222},
                run(new Adam(0.01, Adam.Config.DEFAULT.withWeightDecay(0.1))), 1e-15);
    }

    @Test
    void sgdTwoSteps() {
        assertArrayEquals(new double[] {0.5 - 0.1 * 0.4, -1.0 - 0.1 * -0.15, 2.0 - 0.1 * -1e-3}, run(new Sgd(0.1)), 1e-15);
        assertArrayEquals(sgdByHand(0.1, 0.9, 0.01, false), run(new Sgd(0.1, 0.9, 0.01, false)), 1e-15);
        assertArrayEquals(new double[] {0.4495605, -0.964121, 1.994302}, run(new Sgd(0.1, 0.9, 0.01, false)), 1e-15);
        assertArrayEquals(sgdByHand(0.1, 0.9, 0.01, true), run(new Sgd(0.1, 0.9, 0.01, true)), 1e-15);
        assertArrayEquals(new double[] {0.413632905, -0.95076581, 1.99097722}, run(new Sgd(0.1, 0.9, 0.01, true)), 1e-15);
    }

    @Test
    void stateIsPerParameterAndResettable() {
        Adam adam = new Adam(0.01);
        Parameter a = new Parameter("a", Tensor.vector(THETA0));
        Parameter b = new Parameter("b", Tensor.vector(THETA0));
        adam.step(List.of(a, b), List.of(Tensor.vector(GRADS[0]), Tensor.vector(GRADS[0])));
        adam.step(List.of(a), List.of(Tensor.vector(GRADS[1])));
        assertEquals(2, adam.stepCount(a));
        assertEquals(1, adam.stepCount(b));
        assertArrayEquals(adamByHand(0.01, 0.0), a.value().toArray(), 1e-15);
        adam.resetState(a);
        assertEquals(0, adam.stepCount(a));
        adam.setLearningRate(0.5);
        assertEquals(0.5, adam.learningRate());
    }

    @Test
    void rejectedStepChangesNothing() {
        Adam adam = new Adam(0.01);
        Parameter a = new Parameter("a", Tensor.vector(1, 2));
        Parameter b = new Parameter("layers.0.bias", Tensor.vector(3));
        NeuralOdeException e = assertThrows(NeuralOdeException.class,
                () -> adam.step(List.of(a, b), List.of(Tensor.vector(1, 1), Tensor.vector(Double.NaN))));
        assertTrue(e.getMessage().contains("layers.0.bias"), e.getMessage());
        assertArrayEquals(new double[] {1, 2}, a.value().toArray(), 0.0);
        assertEquals(0, adam.stepCount(a));
        e = assertThrows(NeuralOdeException.class, () -> adam.step(List.of(a), List.of(Tensor.vector(1, 1, 1))));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(NeuralOdeException.class, () -> adam.step(List.of(a, b), List.of(Tensor.vector(1, 1))));
    }

    @Test
    void hyperParametersAreValidated() {
        assertThrows(NeuralOdeException.class, () -> new Adam(0.0));
        assertThrows(NeuralOdeException.class, () -> new Adam(Double.NaN));
        assertThrows(NeuralOdeException.class, () -> new Adam(1e-3, 1.0, 0.999, 1e-8, 0));
        assertThrows(NeuralOdeException.class, () -> new Adam(1e-3, 0.9, -0.1, 1e-8, 0));
        assertThrows(NeuralOdeException.class, () -> new Adam(1e-3, 0.9, 0.999, -1e-8, 0));
        assertThrows(NeuralOdeException.class, () -> new Adam(1e-3, 0.9, 0.999, 1e-8, -1));
        assertThrows(NeuralOdeException.class, () -> new Sgd(-0.1));
        assertThrows(NeuralOdeException.class, () -> new Sgd(0.1, 1.0, 0, false));
        assertThrows(NeuralOdeException.class, () -> new Sgd(0.1, 0.0, 0, true));
        NeuralOdeException e = assertThrows(NeuralOdeException.class, () -> new Sgd(0.1).setLearningRate(-1));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }

    /** Fits y = 3x − 2 with one linear layer; returns the final loss. */
    private static double fitLine(Optimizer opt, int steps) {
        Linear lin = new Linear(1, 1, true, Rng.seeded(1));
        Tensor x = Rng.seeded(2).uniform(-1, 1, 32, 1);
        double[] yv = x.toArray();
        for (int i = 0; i < yv.length; i++) {
            yv[i] = 3 * yv[i] - 2;
        }
        Tensor y = Tensor.of(yv, 32, 1);
        double loss = Double.NaN;
        for (int it = 0; it < steps; it++) {
            Tensor l = Mse.mean(lin.forward(x), y);
            loss = l.item();
            opt.step(lin.parameters(), Autograd.grad(l, lin.parameterTensors()));
        }
        assertEquals(3.0, lin.weight().value().item(), 1e-3);
        assertEquals(-2.0, lin.bias().orElseThrow().value().item(), 1e-3);
        return loss;
    }

    @Test
    void regressionsConverge() {
        assertTrue(fitLine(new Adam(0.05), 1500) < 1e-8);
        assertTrue(fitLine(new Sgd(0.1, 0.9, 0.0, false), 500) < 1e-8);
        assertTrue(fitLine(new Sgd(0.1, 0.9, 0.0, true), 500) < 1e-8);

        Sequential mlp = Mlp.of(List.of(1, 16, 1), Activation.TANH, Rng.seeded(3));
        Tensor x = Rng.seeded(4).uniform(-2, 2, 64, 1);
        double[] yv = x.toArray();
        for (int i = 0; i < yv.length; i++) {
            yv[i] = Math.sin(yv[i]);
        }
        Tensor y = Tensor.of(yv, 64, 1);
        Adam adam = new Adam(0.01);
        double first = Mse.mean(mlp.forward(x), y).item();
        double last = first;
        for (int it = 0; it < 2000; it++) {
            Tensor l = Mse.mean(mlp.forward(x), y);
            last = l.item();
            adam.step(mlp.parameters(), Autograd.grad(l, mlp.parameterTensors()));
        }
        assertTrue(last < 1e-3 && last < first / 50, "MLP fit of sin: loss " + first + " -> " + last);
    }
}
