package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.regularize.JacobianFrobenius;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The W1 classifier end to end in float32: a batch step (adaptive dopri5 with the torchdiffeq preset, direct and
 * adjoint, with and without the RNODE channels) gives float32 gradients that agree with the float64 step from the
 * same initial weights to float32 accuracy and takes the same steps, and a short training run learns.
 */
class Float32TrainingTest {
    private static final SolverConfig DOPRI5 = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));
    private static final List<Regulariser> RNODE = List.of(new KineticEnergy(0.01, Regulariser.Normalisation.SUM),
            new JacobianFrobenius(0.01, Regulariser.Normalisation.SUM, JacobianFrobenius.Noise.GAUSSIAN));

    /**
     * Float32 against float64 from identical weights. Same NFE: the error ratio is computed in double from the
     * states, whose float32 round-off (~1e-7) is 10^4 below rtol, so accept/reject decisions agree (workloads.md §0).
     * Gradients within 1e-4 relative: the float64 gradient of the same step differs from the float32 one by the
     * round-off of a few hundred dependent float ops through the solve and its backward pass (about 100·u ≈ 6e-6
     * measured in units of the whole gradient's norm, amplified by the solve's sensitivity); a dtype slip that
     * dropped a term errs by O(1).
     */
    @Test
    void batchStepInFloat32MatchesFloat64() {
        LabelledSet batch = Toys2d.diskAnnulus(128, 4);
        for (GradientMethod method : new GradientMethod[] {new Direct(), BacksolveAdjoint.torchdiffeqCompatible()}) {
            for (boolean regularised : new boolean[] {false, true}) {
                BatchStep.Result[] r = new BatchStep.Result[2];
                for (DType dtype : DType.values()) {
                    AugmentedNodeClassifier model = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(3), dtype);
                    r[dtype.ordinal()] = BatchStep.run(model, batch, DOPRI5, method,
                            regularised ? model.regularised(RNODE, batch.size(), Rng.seeded(1)) : null);
                }
                BatchStep.Result f64 = r[DType.F64.ordinal()];
                BatchStep.Result f32 = r[DType.F32.ordinal()];
                String what = method.getClass().getSimpleName() + (regularised ? " + rnode" : "");
                assertEquals(f64.nfeForward(), f32.nfeForward(), what + ": forward NFE");
                assertEquals(f64.nfeBackward(), f32.nfeBackward(), what + ": backward NFE");
                assertEquals(f64.loss(), f32.loss(), 1e-5 * Math.abs(f64.loss()), what + ": loss");
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < f64.grads().size(); i++) {
                    Tensor a = f64.grads().get(i);
                    Tensor b = f32.grads().get(i);
                    assertEquals(DType.F32, b.dtype(), what + ": gradient dtype");
                    for (int j = 0; j < a.size(); j++) {
                        diff += (a.getFlat(j) - b.getFlat(j)) * (a.getFlat(j) - b.getFlat(j));
                        norm += a.getFlat(j) * a.getFlat(j);
                    }
                }
                double rel = Math.sqrt(diff / norm);
                assertTrue(rel <= 1e-4, what + ": float32 gradient differs from float64 by " + rel);
            }
        }
    }

    /**
     * Training follows the float64 run from the same weights and batches, and the parameters stay float32. Only the
     * first epochs are compared: W1's loss then enters a fast-changing phase in which any perturbation grows (two
     * data-parallel shards instead of one change the eighth epoch's float64 loss from 0.30 to 0.44), so later
     * epochs would test chaos, not precision. Over the first four the two precisions agreed to 4e-5.
     */
    @Test
    void float32TrainingFollowsFloat64AndStaysFloat32() {
        LabelledSet train = Toys2d.diskAnnulus(512, 0);
        double[][] losses = new double[2][];
        for (DType dtype : DType.values()) {
            AugmentedNodeClassifier model = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(0), dtype);
            TrainConfig cfg = new TrainConfig(8, 128, 1e-2, 0, DOPRI5, new Direct()).withShards(2);
            losses[dtype.ordinal()] = ClassifierTrainer.train(model, train, cfg, null, null).stream()
                    .mapToDouble(EpochMetrics::loss).toArray();
            for (Parameter p : model.parameters()) {
                assertEquals(dtype, p.dtype(), p.name());
            }
        }
        double[] f32 = losses[DType.F32.ordinal()];
        double[] f64 = losses[DType.F64.ordinal()];
        for (int e = 0; e < 4; e++) {
            assertEquals(f64[e], f32[e], 1e-3 * f64[e], "epoch " + (e + 1) + " loss, float32 against float64");
        }
        assertTrue(f32[f32.length - 1] < 0.7 * f32[0], "float32 loss " + f32[0] + " -> " + f32[f32.length - 1]);
    }
}
