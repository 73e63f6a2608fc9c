package org.neuralode4j.sensitivity;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.BceWithLogits;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.ode.tableau.Tsit5;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.MlpField;

/**
 * Issue 16 acceptance 1: CHECKPOINTED equals DIRECT to ≤ 1e-10 relative (closed-form linear ODE, a W1 classifier,
 * a W2 CNF with RNODE channels), for both schedules and several budgets; its memory stays flat as the number of
 * steps grows, where DIRECT's grows linearly.
 */
class CheckpointedTest {
    private static final List<GradientMethod> SCHEDULES = List.of(Checkpointed.defaults(), Checkpointed.budget(1),
            Checkpointed.budget(2), Checkpointed.budget(3), Checkpointed.every(1), Checkpointed.every(3),
            Checkpointed.every(1000));

    /** gradients.md §5.1: A = [[−0.1, −1], [1, −0.1]], z0 = (1, 0), w = (1, 1) at τ = 1 and 2. */
    @Test
    void linearOdeMatchesClosedFormAndDirect() {
        double[] expect = {1.65403773080596, -1.35769066975927, 1.78182974262409, 1.97436842497801, -0.468504224695391,
            0.27596554234147};
        Tensor w = Tensor.of(new double[] {1, 1}, 1, 2);
        List<SolverConfig> configs = List.of(SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-8, 1e-8)),
                SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-8, 1e-8)),
                SolverConfig.adaptive(Tsit5.TABLEAU, StepControl.of(1e-8, 1e-8)),
                SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(300)));
        for (SolverConfig cfg : configs) {
            double[] direct = linearGradient(cfg, new Direct(), w);
            assertTrue(GradientMethodsTest.relError(direct, expect) <= 1e-6, "direct vs closed form");
            for (GradientMethod m : SCHEDULES) {
                double[] g = linearGradient(cfg, m, w);
                double rel = GradientMethodsTest.relError(g, direct);
                assertTrue(rel <= 1e-10, m + " on " + cfg.tableau().name() + ": rel to direct " + rel);
            }
        }
    }

    private static double[] linearGradient(SolverConfig cfg, GradientMethod m, Tensor w) {
        Tensor A = Tensor.of(new double[][] {{-0.1, -1}, {1, -0.1}}).requiringGrad();
        Dynamics f = new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                return List.of(Ops.matmul(y.get(0), A, false, true));
            }

            @Override
            public List<Tensor> parameters() {
                return List.of(A);
            }
        };
        Tensor z0 = Tensor.of(new double[] {1, 0}, 1, 2).requiringGrad();
        Solution s = Ode.solve(f, List.of(z0), new double[] {0, 1, 2}, cfg, m);
        Tensor loss = Ops.add(Ops.dot(s.state(1).get(0), w), Ops.dot(s.state(2).get(0), w));
        return GradCheck.flatten(Autograd.grad(loss, List.of(z0, A)));
    }

    /** A tanh MLP field with a contracting term, solved backwards in time with four outputs. */
    @Test
    void reverseTimeAndSeveralOutputsMatchDirect() {
        List<Tensor> params = MlpField.randomParams(3, 16, 21, 1.0);
        MlpField f = new MlpField(params, 0.3);
        Tensor z0 = Rng.seeded(22).normal(8, 3);
        double[] times = {1.0, 0.7, 0.2, -0.4};
        List<Tensor> w = List.of(Rng.seeded(23).normal(8, 3), Rng.seeded(24).normal(8, 3), Rng.seeded(25).normal(8, 3));
        for (SolverConfig cfg : List.of(SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-4, 1e-4)),
                SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-4, 1e-4)))) {
            double[] direct = GradientMethodsTest.gradient(f, params, z0, times, w, cfg, new Direct());
            for (GradientMethod m : SCHEDULES) {
                double rel = GradientMethodsTest.relError(GradientMethodsTest.gradient(f, params, z0, times, w, cfg, m), direct);
                assertTrue(rel <= 1e-10, m + ": rel to direct " + rel);
            }
        }
    }

    /** W1's classifier (workloads.md §1) on a batch of its data, at W1's solver settings and at a tight tolerance. */
    @Test
    void w1ClassifierMatchesDirect() {
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(3));
        var data = Toys2d.diskAnnulus(128, 0);
        List<Tensor> params = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            params.add(p.value());
        }
        for (SolverConfig cfg : List.of(SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3)),
                SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-7, 1e-7)))) {
            double[] direct = GradCheck.flatten(Autograd.grad(BceWithLogits.mean(model.logits(model.flow(data.x(), cfg,
                    new Direct())), data.binaryTargets()), params));
            for (GradientMethod m : List.of(Checkpointed.defaults(), Checkpointed.budget(2), Checkpointed.every(4))) {
                Solution s = model.flow(data.x(), cfg, m);
                double[] g = GradCheck.flatten(Autograd.grad(BceWithLogits.mean(model.logits(s), data.binaryTargets()), params));
                double rel = GradientMethodsTest.relError(g, direct);
                assertTrue(rel <= 1e-10, m + " on W1: rel to direct " + rel);
            }
        }
    }

    /** W2's CNF (cnf.md, workloads.md §2) with both RNODE channels, exact and Hutchinson divergence, at W2's solver. */
    @Test
    void w2CnfWithRnodeChannelsMatchesDirect() {
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(4));
        Tensor x = Toys2d.sample("8gaussians", 64, 5);
        List<Tensor> inputs = new ArrayList<>();
        Tensor xl = x.detach().requiringGrad();
        inputs.add(xl);
        for (Parameter p : flow.parameters()) {
            inputs.add(p.value());
        }
        // The Hutchinson estimator's probe is drawn once per solve: the re-runs must see the same one.
        for (Divergence div : List.of(Divergence.exact(), Divergence.hutchinson())) {
            double[] direct = cnfGradient(flow, xl, inputs, new Direct(), div);
            for (GradientMethod m : List.of(Checkpointed.defaults(), Checkpointed.budget(1), Checkpointed.every(5))) {
                double rel = GradientMethodsTest.relError(cnfGradient(flow, xl, inputs, m, div), direct);
                assertTrue(rel <= 1e-10, m + " on W2 (" + div + "): rel to direct " + rel);
            }
        }
    }

    private static double[] cnfGradient(ContinuousFlow flow, Tensor x, List<Tensor> inputs, GradientMethod m, Divergence div) {
        CnfSolve solve = new CnfSolve(CnfSolve.w2Solver(), m, div, RnodeChannels.w2(), false);
        Tensor loss = flow.forward(x, solve, Rng.seeded(9)).loss();
        return GradCheck.flatten(Autograd.grad(loss, inputs));
    }

    /**
     * gradients.md §5.5 memory: doubling the number of steps doubles DIRECT's recorded bytes; a checkpoint budget
     * holds the peak flat (the budget's states plus one step's graph).
     */
    @Test
    void memoryIsFlatInTheNumberOfStepsUnderABudget() {
        List<Tensor> params = MlpField.randomParams(2, 32, 31, 1.0);
        MlpField f = new MlpField(params, 0.0);
        long[] direct = new long[3];
        long[] ckpt = new long[3];
        long[] nfe = new long[3];
        int[] steps = {40, 80, 160};
        for (int i = 0; i < steps.length; i++) {
            SolverConfig cfg = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(steps[i]));
            direct[i] = memory(f, cfg, new Direct())[0];
            long[] c = memory(f, cfg, Checkpointed.budget(4));
            ckpt[i] = c[0];
            nfe[i] = c[1];
        }
        for (int i = 1; i < steps.length; i++) {
            double grow = (double) direct[i] / direct[i - 1];
            assertTrue(grow > 1.9 && grow < 2.1, "direct memory should double with the steps: " + direct[i - 1] + " -> " + direct[i]);
            assertEquals(ckpt[0], ckpt[i], "checkpointed memory should not depend on the number of steps");
        }
        assertTrue(ckpt[2] * 20 < direct[2], "budget 4 at 160 steps: " + ckpt[2] + " B vs direct " + direct[2] + " B");
        // Binomial bound: with 4 states and r = 3 (C(7, 4) = 35 < 40 ≤ C(8, 4) = 70 < 80 ≤ C(9, 4) = 126 < 160 ≤
        // C(10, 4) = 210), no step is advanced more than r times before its recorded re-run (4 evaluations a step).
        int[] r = {4, 5, 6};
        for (int i = 0; i < steps.length; i++) {
            assertTrue(nfe[i] <= 4L * steps[i] * (r[i] + 1), "backward NFE " + nfe[i] + " for " + steps[i] + " steps");
            assertTrue(nfe[i] >= 4L * steps[i], "every step re-run at least once with recording: " + nfe[i]);
        }
    }

    private static long[] memory(MlpField f, SolverConfig cfg, GradientMethod m) {
        Tensor z0 = Rng.seeded(32).normal(16, 2).requiringGrad();
        Solution s = Ode.solve(f, List.of(z0), new double[] {0, 1}, cfg, m);
        Autograd.grad(Ops.sumSquares(s.last(0)), z0);
        return new long[] {s.stats().backward().memoryBytes(), s.stats().backward().nfe()};
    }

    @Test
    void binomialSplitKeepsEveryStepWithinRAdvances() {
        assertEquals(70, Checkpointed.binomial(8, 4));
        assertEquals(1, Checkpointed.binomial(5, 0));
        assertEquals(Long.MAX_VALUE, Checkpointed.binomial(200, 100));
        for (int s = 1; s <= 6; s++) {
            for (int l = 2; l <= 300; l++) {
                int r = 1;
                while (Checkpointed.binomial(s + r, s) < l) {
                    r++;
                }
                int m = Checkpointed.split(l, s);
                assertTrue(m >= 1 && m < l, "split " + m + " of " + l);
                // Right part with one state fewer, left part with one advance fewer: both within the binomial bound.
                assertTrue(l - m <= Checkpointed.binomial(s - 1 + r, s - 1), "l=" + l + " s=" + s + " m=" + m);
                assertTrue(m <= Checkpointed.binomial(s + r - 1, s), "l=" + l + " s=" + s + " m=" + m);
            }
        }
    }

    @Test
    void perSampleControlAndBadSchedulesAreRefused() {
        List<Tensor> params = MlpField.randomParams(2, 8, 12, 0.6);
        MlpField f = new MlpField(params, 0.0);
        SolverConfig per = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-5, 1e-5)).withBatchMode(BatchMode.PER_SAMPLE);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Ode.solve(f, List.of(Rng.seeded(1).normal(4, 2)), new double[] {0, 1}, per, Checkpointed.defaults()));
        assertTrue(e.getMessage().contains("batch-wide"), e.getMessage());
        assertThrows(ConfigException.class, () -> Checkpointed.every(0));
        assertThrows(ConfigException.class, () -> Checkpointed.budget(0));
        assertThrows(ConfigException.class, () -> new Checkpointed(2, 3));
    }
}
