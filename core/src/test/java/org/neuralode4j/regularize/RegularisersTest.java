package org.neuralode4j.regularize;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.MlpField;

/**
 * regularisers.md §9 / issue 7 acceptance 1–2: channel values against closed forms, Hutchinson unbiasedness, and
 * the gradient of a regularised loss against finite differences under every gradient method.
 */
class RegularisersTest {
    private static final List<Regulariser> REGS = List.of(new KineticEnergy(0.3, Regulariser.Normalisation.SUM),
            JacobianFrobenius.hutchinson(0.2));

    @Test
    void channelsIntegrateTheClosedForms() {
        // f = −z on [B = 1, D = 2], z0 = (1, 2): ‖f‖² = 5e^{−2t}, J = −I so ‖εᵀJ‖² = ‖ε‖².
        Dynamics f = Dynamics.of((t, z) -> Ops.neg(z), true);
        RegularisedDynamics rd = new RegularisedDynamics(f, REGS, 1, 2, Rng.seeded(1), 1.0);
        Solution s = Ode.solve(rd, rd.initialState(Tensor.of(new double[] {1, 2}, 1, 2)), new double[] {0, 1},
                SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10)));
        assertEquals(5 * (1 - Math.exp(-2)) / 2, s.last(1).item(), 1e-8);
        assertEquals(Ops.sumSquares(rd.noise()).item(), s.last(2).item(), 1e-8);
        assertEquals(0.3 * s.last(1).item() + 0.2 * s.last(2).item(), rd.penalty(s.last()).item(), 1e-12);
    }

    /**
     * Batch-mean channels (one scalar per regulariser) integrate the batch mean of the per-sample integrands: on a
     * fixed grid both scopes take the same steps, so the scalar channel equals the mean of the per-sample channels,
     * the penalty and its gradient agree, and only the per-sample scope keeps rows independent.
     */
    @Test
    void batchMeanChannelsHoldTheMeanOfThePerSampleChannels() {
        List<Tensor> params = MlpField.randomParams(3, 6, 21, 0.8);
        Tensor z0 = Rng.seeded(22).normal(5, 3);
        SolverConfig fixed = SolverConfig.fixed(org.neuralode4j.ode.tableau.Rk4.TABLEAU, org.neuralode4j.ode.control.FixedSteps.ofCount(16));
        double[] penalty = new double[2];
        List<List<Tensor>> grads = new ArrayList<>();
        for (RegularisedDynamics.ChannelScope scope : RegularisedDynamics.ChannelScope.values()) {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor p : params) {
                leaves.add(p.detach().requiringGrad());
            }
            RegularisedDynamics rd = new RegularisedDynamics(new MlpField(leaves, 0.0), REGS, 5, 3, Rng.seeded(7), 1.0, scope);
            assertEquals(scope == RegularisedDynamics.ChannelScope.PER_SAMPLE, rd.rowIndependent());
            Solution s = Ode.solve(rd, rd.initialState(z0), new double[] {0, 1}, fixed, new Direct());
            int rows = scope == RegularisedDynamics.ChannelScope.PER_SAMPLE ? 5 : 1;
            assertEquals(rows, s.last(1).dim(0));
            Tensor p = rd.penalty(s.last());
            penalty[scope.ordinal()] = p.item();
            grads.add(Autograd.grad(p, leaves));
        }
        assertEquals(penalty[0], penalty[1], 1e-12 * Math.abs(penalty[0]));
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(grads.get(0).get(i).toArray(), grads.get(1).get(i).toArray(), 1e-12, "parameter " + i);
        }
    }

    @Test
    void exactJacobianChannelsOnALinearField() {
        // f = z Aᵀ with A = [[-1, 0.5], [0, -4]]: J = A everywhere; κ(A) and ‖A‖²_F are constants.
        Tensor a = Tensor.of(new double[][] {{-1, 0.5}, {0, -4}});
        Dynamics f = Dynamics.of((t, z) -> Ops.matmul(z, a, false, true), true);
        List<Regulariser> regs = List.of(new ConditionNumber(1, ConditionNumber.Phi.LOG),
                new JacobianFrobeniusExact(1, Regulariser.Normalisation.SUM), new ConditionNumber(1, ConditionNumber.Phi.IDENTITY));
        RegularisedDynamics rd = new RegularisedDynamics(f, regs, 3, 2, Rng.seeded(1), 1.0);
        Solution s = Ode.solve(rd, rd.initialState(Rng.seeded(2).normal(3, 2)), new double[] {0, 2},
                SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10)));
        double[] sv = org.neuralode4j.analysis.Conditioning.singularValues(a.toArray2d());
        double kappa = sv[0] / sv[1];
        for (int b = 0; b < 3; b++) {
            assertEquals(2 * Math.log(kappa), s.last(1).getFlat(b), 1e-9);
            assertEquals(2 * (1 + 0.25 + 16), s.last(2).getFlat(b), 1e-9);
            assertEquals(2 * kappa, s.last(3).getFlat(b), 1e-9);
        }
    }

    @Test
    void conditionNumberGradientsMatchFiniteDifferences() {
        List<Tensor> params = MlpField.randomParams(2, 5, 17, 0.7);
        Tensor z0 = Rng.seeded(18).normal(3, 2);
        List<Regulariser> regs = List.of(new ConditionNumber(0.5, ConditionNumber.Phi.LOG),
                new JacobianFrobeniusExact(0.1, Regulariser.Normalisation.SUM));
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-9, 1e-9));
        java.util.function.Function<List<Tensor>, Tensor> loss = args -> {
            RegularisedDynamics rd = new RegularisedDynamics(new MlpField(args.subList(1, args.size()), 0.0), regs, 3, 2,
                    Rng.seeded(3), 1.0);
            Solution s = Ode.solve(rd, rd.initialState(args.get(0)), new double[] {0, 1}, cfg);
            return Ops.add(Ops.sumSquares(s.last(0)), rd.penalty(s.last()));
        };
        List<Tensor> at = new ArrayList<>();
        at.add(z0);
        at.addAll(params);
        org.neuralode4j.autodiff.GradCheck.Result r = org.neuralode4j.autodiff.GradCheck.check(loss, at, 1e-6);
        assertTrue(r.maxError() < 1e-5, "direct: relative error " + r.maxError());
        double[] fd = GradCheck.flatten(r.numeric());
        // The same loss differentiated by the adjoint methods (Jacobian rows and κ's singular vectors recomputed in
        // every backward evaluation).
        for (GradientMethod m : List.of(BacksolveAdjoint.defaults().withTolerances(1e-10, 1e-10),
                InterpolatedAdjoint.withNodes(16, org.neuralode4j.sensitivity.ChebyshevNodes.Family.LOBATTO).withTolerances(1e-10, 1e-10))) {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : at) {
                leaves.add(t.detach().requiringGrad());
            }
            RegularisedDynamics rd = new RegularisedDynamics(new MlpField(leaves.subList(1, leaves.size()), 0.0), regs, 3, 2,
                    Rng.seeded(3), 1.0);
            Solution s = Ode.solve(rd, rd.initialState(leaves.get(0)), new double[] {0, 1}, cfg, m);
            Tensor l = Ops.add(Ops.sumSquares(s.last(0)), rd.penalty(s.last()));
            double rel = GradCheck.relativeError(GradCheck.flatten(Autograd.grad(l, leaves)), fd);
            assertTrue(rel < 1e-5, m.name() + ": relative error " + rel);
        }
    }

    @Test
    void hutchinsonIsUnbiased() {
        List<Tensor> params = MlpField.randomParams(3, 8, 2, 0.7);
        MlpField f = new MlpField(params, 0.0);
        Tensor z = Rng.seeded(3).normal(1, 3).requiringGrad();
        Tensor fz = f.apply(0, List.of(z)).get(0);
        double exact = 0;
        for (int i = 0; i < 3; i++) {
            double[] e = new double[3];
            e[i] = 1;
            Tensor row = Autograd.grad(List.of(fz), List.of(z), List.of(Tensor.of(e, 1, 3)), false, false).get(0);
            exact += Ops.sumSquares(row).item();
        }
        for (JacobianFrobenius.Noise kind : JacobianFrobenius.Noise.values()) {
            JacobianFrobenius jf = new JacobianFrobenius(1, Regulariser.Normalisation.SUM, kind);
            Rng rng = Rng.seeded(5);
            int n = 20000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                RegularisedDynamics rd = new RegularisedDynamics(f, List.of(jf), 1, 3, rng, 1.0);
                double g = rd.apply(0, List.of(z.detach(), Tensor.zeros(1, 1))).get(1).item();
                sum += g;
                sumSq += g * g;
            }
            double mean = sum / n;
            double se = Math.sqrt((sumSq / n - mean * mean) / n);
            assertEquals(exact, mean, 3 * se, kind + ": mean " + mean + " ± " + se + " vs exact " + exact);
        }
    }

    @Test
    void regularisedLossGradientsMatchFiniteDifferencesForEveryMethod() {
        List<Tensor> params = MlpField.randomParams(2, 6, 7, 0.6);
        Tensor z0 = Rng.seeded(8).normal(4, 2);
        Tensor w = Rng.seeded(9).normal(4, 2);
        double tol = 1e-9;
        double[] ref = finiteDifferences(params, z0, w, tol);
        // IRDM with 16 nodes: with the default 10 its interpolation error (8e-6 here) dominates a 1e-9 solve.
        for (GradientMethod m : List.of(new Direct(), BacksolveAdjoint.defaults(), InterpolatedAdjoint.withNodes(16, org.neuralode4j.sensitivity.ChebyshevNodes.Family.LOBATTO).withTolerances(1e-10, 1e-10))) {
            Tensor z = z0.detach().requiringGrad();
            double[] g = GradCheck.flatten(Autograd.grad(loss(params, z, w, tol, m), concat(z, params)));
            double rel = GradCheck.relativeError(g, ref);
            assertTrue(rel < 1e-6, m.name() + ": rel " + rel);
        }
    }

    private static Tensor loss(List<Tensor> params, Tensor z0, Tensor w, double tol, GradientMethod m) {
        RegularisedDynamics rd = new RegularisedDynamics(new MlpField(params, 0.0), REGS, 4, 2, Rng.seeded(11), 1.0);
        Solution s = Ode.solve(rd, rd.initialState(z0), new double[] {0, 1},
                SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(tol, tol)), m);
        return Ops.add(Ops.dot(s.last(0), w), rd.penalty(s.last()));
    }

    private static double[] finiteDifferences(List<Tensor> params, Tensor z0, Tensor w, double tol) {
        List<Tensor> all = concat(z0, params);
        List<Double> out = new ArrayList<>();
        double h = 1e-5;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < all.size(); i++) {
                double[] base = all.get(i).toArray();
                for (int k = 0; k < base.length; k++) {
                    double[] p = base.clone();
                    p[k] += h;
                    double fp = value(all, i, p, w, tol);
                    p[k] -= 2 * h;
                    double fm = value(all, i, p, w, tol);
                    out.add((fp - fm) / (2 * h));
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double value(List<Tensor> all, int i, double[] v, Tensor w, double tol) {
        List<Tensor> vals = new ArrayList<>(all);
        vals.set(i, Tensor.of(v, all.get(i).shape().dims()));
        return loss(vals.subList(1, vals.size()), vals.get(0), w, tol, new Direct()).item();
    }

    private static List<Tensor> concat(Tensor z, List<Tensor> params) {
        List<Tensor> l = new ArrayList<>();
        l.add(z);
        l.addAll(params);
        return l;
    }


}
