package org.neuralode4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.BceWithLogits;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.regularize.JacobianFrobenius;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The W1 rnode loss in exactly the benchmark's configuration (workloads.md §0–§1: the fused tanh MLP field of the
 * augmented classifier, per-sample kinetic and Gaussian Hutchinson channels with SUM normalisation and λ = 0.01,
 * every channel in step control, the torchdiffeq dopri5 preset): its parameter gradient under DIRECT and under the
 * torchdiffeq-compatible adjoint against central finite differences of the loss, along random directions, for
 * the penalty alone and for BCE + penalty. A regulariser gradient that is dropped, doubled or taken through the
 * wrong second-order rule fails here (the W1 rnode NFE parity question rests on these gradients being right).
 */
class W1RnodeGradientTest {
    private static final List<Regulariser> REGS = List.of(new KineticEnergy(0.01, Regulariser.Normalisation.SUM),
            JacobianFrobenius.hutchinson(0.01));
    /** Tight enough that the step sequence's own dependence on θ is below the finite differences' resolution. */
    private static final SolverConfig SOLVER = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-9, 1e-9));

    @Test
    void rnodeLossGradientsMatchFiniteDifferencesUnderDirectAndAdjoint() {
        int n = 32;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        LabelledSet batch = Toys2d.diskAnnulus(2048, 0).rows(rows);
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(0));
        List<Parameter> params = model.parameters();
        for (boolean penaltyOnly : new boolean[] {true, false}) {
            List<List<Tensor>> directions = new ArrayList<>();
            double[] fd = new double[3];
            Rng dirs = Rng.seeded(77);
            for (int k = 0; k < fd.length; k++) {
                List<Tensor> v = new ArrayList<>();
                for (Parameter p : params) {
                    v.add(dirs.normal(p.value().shape().dims()));
                }
                directions.add(v);
                double h = 1e-5;
                fd[k] = (shiftedLoss(model, v, h, batch, penaltyOnly) - shiftedLoss(model, v, -h, batch, penaltyOnly)) / (2 * h);
            }
            for (GradientMethod method : List.of(new Direct(), BacksolveAdjoint.torchdiffeqCompatible())) {
                List<Tensor> values = new ArrayList<>();
                for (Parameter p : params) {
                    values.add(p.value());
                }
                List<Tensor> g = Autograd.grad(List.of(loss(model, batch, method, penaltyOnly)), values, null, false, true);
                for (int k = 0; k < fd.length; k++) {
                    double gv = 0;
                    for (int i = 0; i < params.size(); i++) {
                        if (g.get(i) != null) {
                            gv += Ops.dot(g.get(i), directions.get(k).get(i)).item();
                        }
                    }
                    double rel = Math.abs(gv - fd[k]) / Math.abs(fd[k]);
                    assertTrue(rel < 1e-5, method.name() + (penaltyOnly ? ", penalty" : ", BCE + penalty") + ", direction " + k
                            + ": gradient·v " + gv + " against finite differences " + fd[k]);
                }
            }
        }
    }

    private static Tensor loss(AugmentedNodeClassifier model, LabelledSet batch, GradientMethod method, boolean penaltyOnly) {
        RegularisedDynamics rd = model.regularised(REGS, batch.size(), Rng.seeded(5));
        Solution s = model.flow(batch.x(), SOLVER, method, rd);
        Tensor penalty = rd.penalty(s.last());
        if (penaltyOnly) {
            return penalty;
        }
        Tensor logits = model.logits(s);
        return Ops.add(BceWithLogits.mean(logits, batch.binaryTargets()), penalty);
    }

    /** The loss at θ + h·v (DIRECT, no gradients), θ restored afterwards. */
    private static double shiftedLoss(AugmentedNodeClassifier model, List<Tensor> v, double h, LabelledSet batch,
                                      boolean penaltyOnly) {
        List<Parameter> params = model.parameters();
        List<Tensor> saved = new ArrayList<>();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor theta = params.get(i).value();
                saved.add(theta);
                params.get(i).set(Ops.add(theta, Ops.mul(v.get(i), h)));
            }
            return loss(model, batch, new Direct(), penaltyOnly).item();
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).set(saved.get(i));
            }
        }
    }
}
