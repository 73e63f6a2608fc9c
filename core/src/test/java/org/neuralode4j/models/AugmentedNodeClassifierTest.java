package org.neuralode4j.models;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The augmented neural-ODE classifier (Dupont et al. 2019) as {@code models} builds it: its spec, its parameters,
 * the augmentation, and the flow checked against closed forms (a zero field leaves z(0) unchanged; a linear diagonal
 * field gives z(1) = exp(a)·z(0) over t ∈ [0, 1]).
 */
class AugmentedNodeClassifierTest {
    private static final SolverConfig TIGHT = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-12));

    @Test
    void specRefusesImpossibleSizesAndCountsOutputs() {
        assertThrows(ConfigException.class, () -> new ClassifierSpec(0, 1, 8, 1, Activation.TANH, TimeInput.IGNORE, 2));
        assertThrows(ConfigException.class, () -> new ClassifierSpec(2, -1, 8, 1, Activation.TANH, TimeInput.IGNORE, 2));
        assertThrows(ConfigException.class, () -> new ClassifierSpec(2, 1, 0, 1, Activation.TANH, TimeInput.IGNORE, 2));
        assertThrows(ConfigException.class, () -> new ClassifierSpec(2, 1, 8, -1, Activation.TANH, TimeInput.IGNORE, 2));
        assertThrows(ConfigException.class, () -> new ClassifierSpec(2, 1, 8, 1, Activation.TANH, TimeInput.IGNORE, 1));
        assertThrows(ConfigException.class, () -> new ClassifierSpec(2, 1, 8, 1, null, TimeInput.IGNORE, 2));
        assertEquals(1, ClassifierSpec.w1().outputs(), "binary: one logit");
        assertEquals(5, new ClassifierSpec(2, 1, 8, 1, Activation.TANH, TimeInput.IGNORE, 5).outputs());
    }

    @Test
    void parametersAreNamedFieldThenHeadWithTheSpecsShapes() {
        ClassifierSpec spec = new ClassifierSpec(2, 1, 8, 2, Activation.TANH, TimeInput.IGNORE, 4);
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(spec, Rng.seeded(1));
        List<Parameter> p = m.parameters();
        long count = 0;
        for (Parameter q : p) {
            count += q.value().size();
        }
        // d = 3: 3→8, 8→8, 8→3 with biases, then a 3→4 head.
        assertEquals((3 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3) + (3 * 4 + 4), count);
        assertTrue(p.get(0).name().startsWith("field."), p.get(0).name());
        assertTrue(p.get(p.size() - 1).name().startsWith("head."), p.get(p.size() - 1).name());
        assertEquals(p.size(), p.stream().map(Parameter::name).distinct().count(), "unique names");
        assertSame(spec, m.spec());
        assertEquals(2, m.inputDim());
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        ClassifierSpec spec = ClassifierSpec.w1();
        List<Parameter> a = new AugmentedNodeClassifier(spec, Rng.seeded(5)).parameters();
        List<Parameter> b = new AugmentedNodeClassifier(spec, Rng.seeded(5)).parameters();
        List<Parameter> c = new AugmentedNodeClassifier(spec, Rng.seeded(6)).parameters();
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().toArray(), b.get(i).value().toArray(), 0.0, a.get(i).name());
            differs |= !java.util.Arrays.equals(a.get(i).value().toArray(), c.get(i).value().toArray());
        }
        assertTrue(differs, "another seed, other weights");
    }

    @Test
    void augmentAppendsZeroChannelsAndChecksTheInputWidth() {
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(
                new ClassifierSpec(2, 2, 4, 1, Activation.TANH, TimeInput.IGNORE, 2), Rng.seeded(0));
        Tensor z = m.augment(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new double[] {1, 2, 0, 0, 3, 4, 0, 0}, z.toArray(), 0.0);
        assertThrows(ShapeException.class, () -> m.augment(Tensor.of(new double[] {1, 2, 3}, 1, 3)));
        AugmentedNodeClassifier none = new AugmentedNodeClassifier(
                new ClassifierSpec(2, 0, 4, 1, Activation.TANH, TimeInput.IGNORE, 2), Rng.seeded(0));
        Tensor x = Tensor.of(new double[] {1, 2}, 1, 2);
        assertSame(x, none.augment(x), "augment 0 is the identity");
    }

    @Test
    void aZeroFieldLeavesTheStateAndTheLogitsAreTheHeadOfTheInput() {
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(2));
        for (Parameter p : m.parameters()) {
            if (p.name().startsWith("field.")) {
                p.set(Tensor.zeros(p.shape()));
            }
        }
        Tensor x = Tensor.of(new double[] {0.5, -1, 2, 0.25}, 2, 2);
        Tensor logits;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            logits = m.logits(m.flow(x, TIGHT, new Direct()));
        }
        double[] w = param(m, "head.weight").value().toArray();
        double b = param(m, "head.bias").value().toArray()[0];
        assertEquals(3, w.length, "binary head: one row of d = 3 weights");
        for (int i = 0; i < 2; i++) {
            double expected = w[0] * x.getFlat(2 * i) + w[1] * x.getFlat(2 * i + 1) + w[2] * 0 + b;
            assertEquals(expected, logits.getFlat(i), 1e-12);
        }
    }

    @Test
    void aLinearDiagonalFieldFlowsToExpOfATimesTheInput() {
        // depth 0: the field is one Linear layer d → d, f(z) = A z + c; with A = diag(a), c = 0, z(1) = exp(a) z(0).
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(
                new ClassifierSpec(2, 1, 4, 0, Activation.TANH, TimeInput.IGNORE, 2), Rng.seeded(3));
        double[] a = {0.7, -0.4, 1.3};
        for (Parameter p : m.parameters()) {
            if (p.name().startsWith("field.") && p.shape().rank() == 2) {
                double[] diag = new double[9];
                for (int i = 0; i < 3; i++) {
                    diag[4 * i] = a[i];
                }
                p.set(Tensor.of(diag, 3, 3));
            } else if (p.name().startsWith("field.")) {
                p.set(Tensor.zeros(p.shape()));
            }
        }
        Tensor x = Tensor.of(new double[] {1.5, -2}, 1, 2);
        Tensor z1;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            z1 = m.flow(x, TIGHT, new Direct()).last(0);
        }
        assertEquals(1.5 * Math.exp(0.7), z1.getFlat(0), 1e-8);
        assertEquals(-2 * Math.exp(-0.4), z1.getFlat(1), 1e-8);
        assertEquals(0.0, z1.getFlat(2), 0.0, "the augmented channel starts and stays at 0");
    }

    @Test
    void predictThresholdsOneLogitOrTakesTheArgmax() {
        AugmentedNodeClassifier binary = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(0));
        assertArrayEquals(new int[] {1, 0, 0}, binary.predict(Tensor.of(new double[] {0.1, -0.1, 0.0}, 3, 1)));
        AugmentedNodeClassifier three = new AugmentedNodeClassifier(
                new ClassifierSpec(2, 1, 4, 1, Activation.TANH, TimeInput.IGNORE, 3), Rng.seeded(0));
        assertArrayEquals(new int[] {2, 0}, three.predict(Tensor.of(new double[] {0, 1, 2, 5, -1, 3}, 2, 3)));
    }

    @Test
    void moduleFieldIsAnAutonomousRowIndependentAdapterThatSeesParameterUpdates() {
        AugmentedNodeClassifier m = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(4));
        ModuleField f = (ModuleField) m.dynamics();
        assertTrue(f.autonomous());
        assertTrue(f.rowIndependent());
        Tensor z = Tensor.of(new double[] {0.3, -0.2, 0.1}, 1, 3);
        double[] before = f.apply(0.0, List.of(z)).get(0).toArray();
        assertArrayEquals(before, f.apply(0.9, List.of(z)).get(0).toArray(), 0.0, "t is ignored");
        assertArrayEquals(before, f.module().forward(z).toArray(), 0.0);
        for (Parameter p : m.parameters()) {
            if (p.name().startsWith("field.")) {
                p.set(Tensor.zeros(p.shape()));
            }
        }
        assertArrayEquals(new double[3], f.apply(0.0, List.of(z)).get(0).toArray(), 0.0, "an update is seen at once");
        assertEquals(m.parameters().stream().filter(p -> p.name().startsWith("field.")).count(), f.parameters().size());
    }

    private static Parameter param(AugmentedNodeClassifier m, String name) {
        return m.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
