package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Parameter slots, containers and their naming, activations. */
class ModulesTest {
    @Test
    void parameterValueIsAStableLeafUntilSet() {
        Parameter p = new Parameter("w", Tensor.vector(1, 2));
        Tensor first = p.value();
        assertTrue(first.requiresGrad() && first.isLeaf());
        assertSame(first, p.value());
        p.set(Tensor.vector(3, 4));
        assertNotSame(first, p.value());
        assertSame(p.value(), p.value());
        assertArrayEquals(new double[] {3, 4}, p.value().toArray(), 0.0);
    }

    @Test
    void setDetachesFromTheGraph() {
        Parameter p = new Parameter("w", Tensor.vector(1, 2));
        Tensor computed = Ops.mul(p.value(), 2.0);
        p.set(computed);
        assertTrue(p.value().isLeaf());
        assertArrayEquals(new double[] {2, 4}, p.value().toArray(), 0.0);
    }

    @Test
    void setRejectsAnotherShapeNamingBoth() {
        Parameter p = new Parameter("layers.0.weight", Tensor.zeros(3, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> p.set(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("layers.0.weight") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void sequentialNamesChildrenAndSharesSlots() {
        Linear first = new Linear(2, 4, true, Rng.seeded(1));
        Sequential s = new Sequential(first, Activation.TANH, new Linear(4, 1, false, Rng.seeded(2)));
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight"),
                s.parameters().stream().map(Parameter::name).toList());
        assertSame(s.parameters(), s.parameters());
        assertEquals(2 * 4 + 4 + 4, s.parameterCount());
        s.parameters().get(0).set(Tensor.ones(4, 2));
        assertSame(first.weight().value(), s.parameterTensors().get(0));
        assertArrayEquals(new double[8], Ops.sub(first.weight().value(), Tensor.ones(4, 2)).toArray(), 0.0);
    }

    @Test
    void nestedContainersNameHierarchically() {
        Sequential inner = new Sequential(new Linear(2, 2, true, Rng.seeded(3)));
        Sequential outer = new Sequential(inner, Activation.RELU);
        assertEquals("layers.0.layers.0.weight", outer.parameters().get(0).name());
    }

    @Test
    void aModuleWithParametersCannotAppearTwice() {
        Linear l = new Linear(2, 2, true, Rng.seeded(4));
        NeuralOdeException e = assertThrows(NeuralOdeException.class, () -> new Sequential(l, Activation.TANH, l));
        assertTrue(e.getMessage().contains("children 0 and 2"), e.getMessage());
    }

    @Test
    void gradientsReachTheParametersThroughContainers() {
        Sequential s = Mlp.of(List.of(2, 3, 1), Activation.SIGMOID, Rng.seeded(5));
        Tensor loss = Ops.sum(s.forward(Rng.seeded(6).normal(4, 2)));
        List<Tensor> g = Autograd.grad(loss, s.parameterTensors());
        assertEquals(4, g.size());
        for (int i = 0; i < g.size(); i++) {
            assertEquals(s.parameters().get(i).shape(), g.get(i).shape());
        }
    }

    @Test
    void activationsMatchTheirDefinitions() {
        Tensor x = Tensor.vector(-2, -0.5, 0, 0.5, 30);
        double[] v = x.toArray();
        double[] tanh = new double[5];
        double[] softplus = new double[5];
        double[] relu = new double[5];
        double[] sigmoid = new double[5];
        for (int i = 0; i < 5; i++) {
            tanh[i] = Math.tanh(v[i]);
            softplus[i] = Math.log1p(Math.exp(v[i]));
            relu[i] = Math.max(v[i], 0);
            sigmoid[i] = 1 / (1 + Math.exp(-v[i]));
        }
        assertArrayEquals(tanh, Activation.TANH.apply(x).toArray(), 1e-15);
        assertArrayEquals(softplus, Activation.SOFTPLUS.apply(x).toArray(), 1e-14);
        assertArrayEquals(relu, Activation.RELU.apply(x).toArray(), 0.0);
        assertArrayEquals(sigmoid, Activation.SIGMOID.apply(x).toArray(), 1e-15);
        assertSame(x, Activation.IDENTITY.forward(x));
        assertTrue(Activation.TANH.parameters().isEmpty());
    }

    @Test
    void mlpFactoryLayout() {
        TimeSequential f = Mlp.field(new Mlp.FieldConfig(List.of(2, 4, 2), TimeInput.CONCAT, Activation.TANH, false), Rng.seeded(7));
        assertEquals(3, f.layers().size());
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"),
                f.parameters().stream().map(Parameter::name).toList());
        assertThrows(NeuralOdeException.class, () -> new Mlp.FieldConfig(List.of(2), TimeInput.CONCAT, Activation.TANH, false));
        assertThrows(NeuralOdeException.class, () -> new Mlp.FieldConfig(List.of(2, 0, 2), TimeInput.CONCAT, Activation.TANH, false));
    }

    /** Sequential runs a tanh MLP as one fused op: same values bit for bit, same first and second derivatives. */
    @Test
    void sequentialFusesLinearTanhWithoutChangingResults() {
        Rng rng = Rng.seeded(3);
        Sequential mlp = Mlp.of(List.of(3, 16, 16, 3), Activation.TANH, rng);
        Tensor x = rng.normal(7, 3).requiringGrad();
        Tensor fused = mlp.forward(x);
        Tensor unfused = x;
        for (Module m : mlp.layers()) {
            unfused = m instanceof Linear ? Ops.linear(unfused, ((Linear) m).weight().value(),
                    ((Linear) m).bias().get().value()) : ((Activation) m).apply(unfused);
        }
        assertArrayEquals(unfused.toArray(), fused.toArray(), 0.0);
        assertTrue(fused.origin() != null && unfused.origin() != null);
        Tensor v = rng.normal(7, 3);
        List<Tensor> in = new java.util.ArrayList<>(List.of(x));
        for (Parameter p : mlp.parameters()) {
            in.add(p.value());
        }
        List<Tensor> gf = Autograd.grad(Ops.dot(fused, v), in);
        List<Tensor> gu = Autograd.grad(Ops.dot(unfused, v), in);
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(gu.get(i).toArray(), gf.get(i).toArray(), 1e-13, "gradient " + i);
        }
        // Second order, as a Jacobian penalty takes it: d‖vᵀ∂y/∂x‖² / d(x, params).
        Tensor pf = Ops.sumSquares(Autograd.grad(List.of(fused), List.of(x), List.of(v), true, false).get(0));
        Tensor pu = Ops.sumSquares(Autograd.grad(List.of(unfused), List.of(x), List.of(v), true, false).get(0));
        assertEquals(pu.item(), pf.item(), 1e-12 * Math.abs(pu.item()));
        List<Tensor> hf = Autograd.grad(List.of(pf), in, null, false, true);
        List<Tensor> hu = Autograd.grad(List.of(pu), in, null, false, true);
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(hu.get(i).toArray(), hf.get(i).toArray(), 1e-12, "second-order gradient " + i);
        }
        assertEquals("mlpTanh", fused.origin().opName());
        // Where a create-graph vjp is announced, the op records the plain chain instead: same values.
        try (org.neuralode4j.autodiff.GradMode.Scope hint = org.neuralode4j.autodiff.GradMode.expectHigherOrder()) {
            Tensor chain = mlp.forward(x);
            assertEquals("linear", chain.origin().opName());
            assertArrayEquals(fused.toArray(), chain.toArray(), 0.0);
        }
        assertTrue(!org.neuralode4j.autodiff.GradMode.higherOrderExpected());
    }
}
