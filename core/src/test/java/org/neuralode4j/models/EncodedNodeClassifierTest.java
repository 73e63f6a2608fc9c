package org.neuralode4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;

/**
 * The encoder → MLP-field ODE → head classifier (claims.md §1's image model): sizes, parameter order, the encoder and
 * flow against a closed form, and the encoder's gradient through the solve against central differences.
 */
class EncodedNodeClassifierTest {
    private static final SolverConfig TIGHT = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-12));

    @Test
    void specRefusesImpossibleSizes() {
        assertThrows(ConfigException.class, () -> new EncodedNodeClassifier.Spec(0, 4, 8, 1, Activation.TANH, 2));
        assertThrows(ConfigException.class, () -> new EncodedNodeClassifier.Spec(5, 0, 8, 1, Activation.TANH, 2));
        assertThrows(ConfigException.class, () -> new EncodedNodeClassifier.Spec(5, 4, 8, -1, Activation.TANH, 2));
        assertThrows(ConfigException.class, () -> new EncodedNodeClassifier.Spec(5, 4, 8, 1, Activation.TANH, 1));
        assertThrows(ConfigException.class, () -> new EncodedNodeClassifier.Spec(5, 4, 8, 1, null, 2));
        assertEquals(1, new EncodedNodeClassifier.Spec(5, 4, 8, 1, Activation.TANH, 2).outputs());
        assertEquals(3, new EncodedNodeClassifier.Spec(5, 4, 8, 1, Activation.TANH, 3).outputs());
    }

    @Test
    void parametersAreEncoderFieldHeadWithTheImageModelsCount() {
        // claims.md §1: encoder 784→16, field 16→64→64→16, binary head 16→1.
        EncodedNodeClassifier m = new EncodedNodeClassifier(
                new EncodedNodeClassifier.Spec(784, 16, 64, 2, Activation.TANH, 2), Rng.seeded(1));
        List<Parameter> p = m.parameters();
        long count = p.stream().mapToLong(q -> q.value().size()).sum();
        assertEquals((784 * 16 + 16) + (16 * 64 + 64) + (64 * 64 + 64) + (64 * 16 + 16) + (16 + 1), count);
        assertTrue(p.get(0).name().startsWith("encoder."), p.get(0).name());
        assertTrue(p.get(2).name().startsWith("field."), p.get(2).name());
        assertTrue(p.get(p.size() - 1).name().startsWith("head."), p.get(p.size() - 1).name());
        assertEquals(16, m.stateDim());
        assertEquals(784, m.inputDim());
        assertThrows(ShapeException.class, () -> m.initialState(Tensor.zeros(2, 783)));
    }

    @Test
    void aLinearDiagonalFieldFlowsTheEncodedInputToExpOfATimesIt() {
        // depth 0: f(z) = A z + c with A = diag(a), c = 0, so z(1) = exp(a) ⊙ (W x + b).
        EncodedNodeClassifier m = new EncodedNodeClassifier(
                new EncodedNodeClassifier.Spec(3, 2, 4, 0, Activation.TANH, 2), Rng.seeded(3));
        double[] a = {0.6, -0.9};
        param(m, "field.layers.0.weight").set(Tensor.of(new double[] {a[0], 0, 0, a[1]}, 2, 2));
        param(m, "field.layers.0.bias").set(Tensor.zeros(2));
        double[] w = param(m, "encoder.weight").value().toArray();
        double[] b = param(m, "encoder.bias").value().toArray();
        double[] x = {0.2, -1.0, 0.7};
        Tensor z1;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            z1 = m.flow(Tensor.of(x, 1, 3), TIGHT, new Direct()).last(0);
        }
        for (int i = 0; i < 2; i++) {
            double encoded = b[i] + w[3 * i] * x[0] + w[3 * i + 1] * x[1] + w[3 * i + 2] * x[2];
            assertEquals(Math.exp(a[i]) * encoded, z1.getFlat(i), 1e-8);
        }
    }

    @Test
    void theEncodersGradientThroughTheSolveMatchesCentralDifferences() {
        EncodedNodeClassifier m = new EncodedNodeClassifier(
                new EncodedNodeClassifier.Spec(6, 3, 8, 1, Activation.TANH, 3), Rng.seeded(7));
        Rng r = Rng.seeded(8);
        LabelledSet data = new LabelledSet(r.normal(0.0, 1.0, 5, 6), new int[] {0, 1, 2, 1, 0});
        Parameter enc = param(m, "encoder.weight");
        double[] g = Autograd.grad(loss(m, data), List.of(enc.value())).get(0).toArray();
        double[] w = enc.value().toArray();
        double h = 1e-5;
        for (int k = 0; k < w.length; k += 5) {
            double[] plus = w.clone();
            plus[k] += h;
            double[] minus = w.clone();
            minus[k] -= h;
            enc.set(Tensor.of(plus, 3, 6));
            double lp = loss(m, data).item();
            enc.set(Tensor.of(minus, 3, 6));
            double lm = loss(m, data).item();
            enc.set(Tensor.of(w, 3, 6));
            assertEquals((lp - lm) / (2 * h), g[k], 1e-7, "d loss / d encoder.weight[" + k + "]");
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        EncodedNodeClassifier.Spec spec = new EncodedNodeClassifier.Spec(5, 3, 4, 1, Activation.TANH, 2);
        List<Parameter> a = new EncodedNodeClassifier(spec, Rng.seeded(5)).parameters();
        List<Parameter> b = new EncodedNodeClassifier(spec, Rng.seeded(5)).parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().toArray(), b.get(i).value().toArray(), 0.0, a.get(i).name());
        }
    }

    private static Tensor loss(EncodedNodeClassifier m, LabelledSet data) {
        return ClassifierTrainer.loss(m, m.logits(m.flow(data.x(), TIGHT, new Direct())), data);
    }

    private static Parameter param(EncodedNodeClassifier m, String name) {
        return m.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + m.parameters()));
    }
}
