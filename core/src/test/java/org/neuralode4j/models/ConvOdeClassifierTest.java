package org.neuralode4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.SyntheticImages;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.nn.loss.CrossEntropy;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchedEvaluation;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.TrainConfig;

/** The convolutional ODE classifier (workloads.md §3): architecture, gradients under every method, learning. */
class ConvOdeClassifierTest {
    @Test
    void w3HasTheSpecifiedArchitecture() {
        ConvOdeClassifier m = new ConvOdeClassifier(ConvClassifierSpec.w3(), Rng.seeded(0));
        int count = 0;
        List<String> names = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            count += p.shape().size();
            names.add(p.name() + p.shape());
        }
        assertEquals(7290, count, names.toString()); // 160 + 3 × 2320 + 170
        assertEquals(List.of("stem.0.weight[3, 3, 1, 16]", "stem.0.bias[16]", "stem.2.weight[3, 3, 16, 16]",
                "stem.2.bias[16]", "field.conv1.weight[3, 3, 16, 16]", "field.conv1.bias[16]",
                "field.conv2.weight[3, 3, 16, 16]", "field.conv2.bias[16]", "head.weight[10, 16]", "head.bias[10]"), names);
        assertEquals(7, m.spec().mapSide());
        Tensor x = SyntheticImages.bars(3, 10, 1).range(0, 3).x();
        assertEquals(List.of(3, 784), List.of(m.encode(x).dim(0), m.encode(x).dim(1)));
        Solution s = m.flow(x, SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-3, 1e-3)), new Direct());
        assertEquals(List.of(3, 10), List.of(m.logits(s).dim(0), m.logits(s).dim(1)));
    }

    /** Cross-entropy of a small classifier (12×12 images, 3 channels) and its gradients w.r.t. input and parameters. */
    private static List<Tensor> gradients(ConvOdeClassifier m, LabelledSet b, SolverConfig cfg, GradientMethod method) {
        Tensor x = b.x().detach().requiringGrad();
        Tensor loss = CrossEntropy.mean(m.logits(x, cfg, method), b.labels());
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(x);
        for (Parameter p : m.parameters()) {
            wrt.add(p.value());
        }
        return Autograd.grad(loss, wrt);
    }

    private static LabelledSet smallImages(int n) {
        Rng rng = Rng.seeded(4);
        double[] px = new double[n * 144];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new LabelledSet(Tensor.of(px, n, 144), labels);
    }

    @ParameterizedTest(name = "time {0}")
    @EnumSource(value = TimeInput.class, names = {"IGNORE", "CONCAT"})
    void everyGradientMethodMatchesDirectBackprop(TimeInput time) {
        ConvOdeClassifier m = new ConvOdeClassifier(new ConvClassifierSpec(12, 3, time, ConvClassifierSpec.Head.AVERAGE, 3), Rng.seeded(1));
        LabelledSet b = smallImages(2);
        SolverConfig tight = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10));
        List<Tensor> direct = gradients(m, b, tight, new Direct());
        for (GradientMethod method : List.of(BacksolveAdjoint.defaults(), InterpolatedAdjoint.defaults())) {
            List<Tensor> g = gradients(m, b, tight, method);
            double rel = GradCheck.relativeError(GradCheck.flatten(g), GradCheck.flatten(direct));
            System.out.printf("[conv block] time %s, %s vs direct: rel err %.2e%n", time, method.name(), rel);
            assertTrue(rel < 1e-7, method.name() + " vs direct: " + rel);
        }
    }

    /**
     * The float32 model: every gradient method's gradient (input and parameters) against float64 with the same
     * draws, and against float32 direct backprop, with dopri5 at rtol = atol = 1e-6 (float32 cannot resolve 1e-10).
     * Measured: at most 2.2e-7 against float64 and 4.1e-7 against direct (a few float32 round-offs); the bound 1e-5
     * leaves a margin of 25, while a float32 path that dropped a term or rounded a constant badly is off by far more.
     */
    @ParameterizedTest(name = "time {0}")
    @EnumSource(value = TimeInput.class, names = {"IGNORE", "CONCAT"})
    void float32GradientsMatchFloat64AndDirectUnderEveryMethod(TimeInput time) {
        ConvClassifierSpec spec = new ConvClassifierSpec(12, 3, time, ConvClassifierSpec.Head.AVERAGE, 3);
        ConvOdeClassifier m64 = new ConvOdeClassifier(spec, Rng.seeded(1));
        ConvOdeClassifier m32 = new ConvOdeClassifier(spec, Rng.seeded(1), DType.F32);
        assertEquals(DType.F32, m32.dtype());
        for (Parameter p : m64.parameters()) { // the same point: float64 at the float32 parameters' values
            p.set(m32.parameters().get(m64.parameters().indexOf(p)).value().to(DType.F64).detach().requiringGrad());
        }
        LabelledSet b = smallImages(2);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-6, 1e-6));
        List<Tensor> direct32 = gradients(m32, b, cfg, new Direct());
        for (String name : List.of("direct", "checkpointed", "adjoint", "interpolated")) {
            GradientMethod method = org.neuralode4j.sensitivity.GradientMethods.byName(name);
            List<Tensor> g32 = gradients(m32, b, cfg, method);
            assertEquals(DType.F64, g32.get(0).dtype(), "pixel gradients come back in the pixels' dtype");
            assertEquals(DType.F32, g32.get(1).dtype(), "parameter gradients are float32");
            List<Tensor> g64 = gradients(m64, b, cfg, org.neuralode4j.sensitivity.GradientMethods.byName(name));
            double vs64 = GradCheck.relativeError(GradCheck.flatten(widened(g32)), GradCheck.flatten(g64));
            double vsDirect = GradCheck.relativeError(GradCheck.flatten(widened(g32)), GradCheck.flatten(widened(direct32)));
            System.out.printf("[conv block f32] time %s, %s: rel err vs float64 %.2e, vs float32 direct %.2e%n", time, name,
                    vs64, vsDirect);
            assertTrue(vs64 < 1e-5, name + " float32 vs float64: " + vs64);
            assertTrue(vsDirect < 1e-5, name + " vs float32 direct: " + vsDirect);
        }
    }

    private static List<Tensor> widened(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.to(DType.F64));
        }
        return out;
    }

    /** Kinetic and Hutchinson Jacobian channels on the flattened conv state: the adjoint's gradient matches direct. */
    @Test
    void regularisedBlockGradientsAgreeAcrossMethods() {
        ConvOdeClassifier m = new ConvOdeClassifier(new ConvClassifierSpec(12, 3, TimeInput.IGNORE,
                ConvClassifierSpec.Head.AVERAGE, 3), Rng.seeded(6));
        LabelledSet b = smallImages(2);
        SolverConfig tight = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10));
        List<org.neuralode4j.regularize.Regulariser> regs = List.of(new org.neuralode4j.regularize.KineticEnergy(0.1, org.neuralode4j.regularize.Regulariser.Normalisation.SUM),
                org.neuralode4j.regularize.JacobianFrobenius.hutchinson(0.1));
        List<List<Tensor>> grads = new ArrayList<>();
        for (GradientMethod method : List.of(new Direct(), BacksolveAdjoint.defaults())) {
            org.neuralode4j.regularize.RegularisedDynamics rd = m.regularised(regs, 2, Rng.seeded(9));
            Solution s = m.flow(b.x(), tight, method, rd);
            Tensor loss = org.neuralode4j.autodiff.ops.Ops.add(CrossEntropy.mean(m.logits(s), b.labels()), rd.penalty(s.last()));
            List<Tensor> wrt = new ArrayList<>();
            for (Parameter p : m.parameters()) {
                wrt.add(p.value());
            }
            grads.add(Autograd.grad(loss, wrt));
        }
        double rel = GradCheck.relativeError(GradCheck.flatten(grads.get(1)), GradCheck.flatten(grads.get(0)));
        System.out.printf("[conv block] kinetic + Hutchinson Jacobian, adjoint vs direct: rel err %.2e%n", rel);
        assertTrue(rel < 1e-7, "adjoint vs direct with regularisers: " + rel);
    }

    /** Direct backprop through stem, block (fixed-step RK4, so the map is smooth), pool and head vs central differences. */
    @ParameterizedTest(name = "head {0}")
    @EnumSource(ConvClassifierSpec.Head.class)
    void directGradientMatchesFiniteDifferences(ConvClassifierSpec.Head head) {
        ConvOdeClassifier m = new ConvOdeClassifier(new ConvClassifierSpec(8, 2, TimeInput.CONCAT, head, 3), Rng.seeded(2));
        Rng rng = Rng.seeded(5);
        double[] px = new double[2 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextDouble();
        }
        Tensor x0 = Tensor.of(px, 2, 64);
        int[] labels = {0, 2};
        SolverConfig rk4 = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(4));
        List<Parameter> params = m.parameters();
        List<Tensor> saved = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x0);
        for (Parameter p : params) {
            saved.add(p.value());
            inputs.add(p.value().detach());
        }
        try {
            GradCheck.Result r = GradCheck.check(args -> {
                // Parameters are slots holding detached values: set them, then add ⟨θ − θ̄, ∂L/∂θ⟩ (zero in value)
                // so that the checked gradient with respect to the argument θ is the model's own ∂L/∂θ.
                List<Tensor> values = new ArrayList<>();
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).set(args.get(1 + i));
                    values.add(params.get(i).value());
                }
                Tensor loss = CrossEntropy.mean(m.logits(args.get(0), rk4, new Direct()), labels);
                List<Tensor> g = Autograd.grad(List.of(loss), values, null, false, true);
                Tensor out = loss;
                for (int i = 0; i < params.size(); i++) {
                    Tensor theta = args.get(1 + i);
                    out = org.neuralode4j.autodiff.ops.Ops.add(out, org.neuralode4j.autodiff.ops.Ops.dot(
                            org.neuralode4j.autodiff.ops.Ops.sub(theta, theta.detach()), g.get(i)));
                }
                return out;
            }, inputs, 1e-6);
            System.out.printf("[conv classifier] direct vs finite differences: max rel err %.2e%n", r.maxError());
            assertTrue(r.maxError() < 1e-6, java.util.Arrays.toString(r.relErrors()));
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).set(saved.get(i));
            }
        }
    }

    @Test
    void learnsTheSyntheticBars() {
        ImageSet train = SyntheticImages.bars(200, 4, 11);
        ImageSet test = SyntheticImages.bars(100, 4, 12);
        ConvOdeClassifier m = new ConvOdeClassifier(new ConvClassifierSpec(28, 8, TimeInput.IGNORE, ConvClassifierSpec.Head.FLATTEN, 4), Rng.seeded(3));
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-3, 1e-3));
        ClassifierTrainer.train(m, train, new TrainConfig(10, 20, 5e-3, 0, cfg, new Direct()),
                e -> System.out.printf("[bars] epoch %d loss %.3f train acc %.3f nfe %.1f%n", e.epoch(), e.loss(),
                        e.trainAccuracy(), e.meanNfeForward()), null);
        BatchedEvaluation e = BatchedEvaluation.run(m, test, cfg, 32);
        assertTrue(e.accuracy() > 0.9, "test accuracy " + e.accuracy());
        long[][] c = e.confusion(4);
        long total = 0;
        for (long[] row : c) {
            for (long v : row) {
                total += v;
            }
        }
        assertEquals(100, total);
    }
}
