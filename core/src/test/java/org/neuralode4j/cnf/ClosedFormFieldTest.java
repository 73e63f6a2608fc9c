package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.nn.TimeSequential;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * regularisers.md §2.4 / §9.6: the closed-form CNF right-hand side of a ConcatSquash MLP equals the autodiff one —
 * values to 1e-12, and the gradient of a random projection of all outputs (f, −trace, E′, N′) with respect to z
 * and every parameter (second order in the network) to 1e-10 — for every divergence, channel source,
 * normalisation, direction and activation.
 */
@Tag("kernels") // float32 and float64 row blocks, with the Vector API kernels and again with the plain ones
class ClosedFormFieldTest {
    private static final int B = 5;
    private static final int D = 3;

    private static List<RnodeChannels> channelSets() {
        return List.of(RnodeChannels.none(), RnodeChannels.w2(), RnodeChannels.rnode(),
                RnodeChannels.rnode().withExactTraceJacobian(RnodeChannels.ExactTraceJacobian.OWN_PROBE),
                RnodeChannels.w2().withWeights(0, 0.3), RnodeChannels.w2().withWeights(0.2, 0));
    }

    @Test
    void closedFormMatchesAutodiff() {
        int checked = 0;
        double worstValue = 0;
        double worstGrad = 0;
        for (Activation act : List.of(Activation.TANH, Activation.SOFTPLUS)) {
            TimeSequential module = Mlp.field(new Mlp.FieldConfig(List.of(D, 7, 6, D), TimeInput.CONCAT_SQUASH, act, false),
                    Rng.seeded(3));
            FlowField fast = FlowField.of(module);
            FlowField slow = FlowField.autodiff(module);
            Tensor z = Rng.seeded(4).normal(0.0, 1.5, B, D);
            for (Divergence div : List.of(Divergence.exact(), Divergence.hutchinson(),
                    Divergence.hutchinson(ProbeNoise.RADEMACHER))) {
                for (RnodeChannels ch : channelSets()) {
                    for (double dir : new double[] {1, -1}) {
                        CnfDynamics a = new CnfDynamics(fast, EndTime.fixed(1), null, div, ch, B, D, Rng.seeded(9), dir);
                        CnfDynamics b = new CnfDynamics(slow, EndTime.fixed(1), null, div, ch, B, D, Rng.seeded(9), dir);
                        assertTrue(a.closedForm());
                        assertFalse(b.closedForm());
                        double[] w = compare(a, b, z);
                        worstValue = Math.max(worstValue, w[0]);
                        worstGrad = Math.max(worstGrad, w[1]);
                        checked++;
                    }
                }
            }
        }
        System.out.printf("cnf closed form vs autodiff over %d configurations: values %.2e, gradients %.2e%n", checked,
                worstValue, worstGrad);
        assertTrue(worstValue <= 1e-12, "values " + worstValue);
        assertTrue(worstGrad <= 1e-10, "gradients " + worstGrad);
    }

    /** {max |value difference|, relative gradient error} of one evaluation at t = 0.37. */
    private static double[] compare(CnfDynamics fast, CnfDynamics slow, Tensor z) {
        List<Tensor> state = stateOf(fast, z);
        List<Tensor> of = values(fast, state);
        List<Tensor> os = values(slow, state);
        double worst = 0;
        for (int c = 0; c < of.size(); c++) {
            for (int i = 0; i < of.get(c).size(); i++) {
                worst = Math.max(worst, Math.abs(of.get(c).getFlat(i) - os.get(c).getFlat(i)));
            }
        }
        double[] gf = gradient(fast, state);
        double[] gs = gradient(slow, state);
        return new double[] {worst, GradCheck.relativeError(gf, gs)};
    }

    /** z followed by a zero column per other component of the dynamics' state, in z's dtype. */
    private static List<Tensor> stateOf(CnfDynamics dyn, Tensor z) {
        List<Tensor> state = new ArrayList<>();
        state.add(z);
        for (int c = 1; c < dyn.components(); c++) {
            state.add(Tensor.zeros(z.dtype(), B, 1));
        }
        return state;
    }

    /** The right-hand side at t = 0.37, without gradients. */
    private static List<Tensor> values(CnfDynamics dyn, List<Tensor> state) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return dyn.apply(0.37, state);
        }
    }

    private static double[] gradient(CnfDynamics dyn, List<Tensor> state) {
        List<Tensor> s = new ArrayList<>(state);
        Tensor z = state.get(0).detach().requiringGrad();
        s.set(0, z);
        List<Tensor> out = dyn.apply(0.37, s);
        Rng w = Rng.seeded(11);
        Tensor total = null;
        for (Tensor o : out) {
            Tensor term = Ops.dot(o, Ops.cast(w.normal(o.shape().dims()), o.dtype()));
            total = total == null ? term : Ops.add(total, term);
        }
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(z);
        inputs.addAll(dyn.parameters());
        return GradCheck.flatten(Autograd.grad(List.of(total), inputs, null, false, true));
    }

    /**
     * The float32 row blocks ({@link RowBlocks.F32}) against the float64 closed form from the same (rounded) weights
     * and state: values within 1e-5 of the largest output and gradients within 1e-4 relative, i.e. float32
     * round-off through a three-layer second-order sweep; a wrong float32 loop would be off by O(1).
     */
    @Test
    void float32BlocksMatchFloat64() {
        double worstValue = 0;
        double worstGrad = 0;
        for (Activation act : List.of(Activation.TANH, Activation.SOFTPLUS)) {
            Mlp.FieldConfig cfg = new Mlp.FieldConfig(List.of(D, 17, 12, D), TimeInput.CONCAT_SQUASH, act, false);
            TimeSequential m32 = Mlp.field(cfg, Rng.seeded(3));
            m32.to(DType.F32);
            TimeSequential m64 = Mlp.field(cfg, Rng.seeded(3));
            m64.to(DType.F32);
            m64.to(DType.F64); // the same rounded weights in double
            Tensor z32 = Rng.seeded(4).normal(0.0, 1.5, B, D).to(DType.F32);
            Tensor z64 = z32.to(DType.F64);
            for (Divergence div : List.of(Divergence.exact(), Divergence.hutchinson())) {
                for (RnodeChannels ch : channelSets()) {
                    CnfDynamics a = new CnfDynamics(FlowField.of(m32), EndTime.fixed(1), null, div, ch, B, D, Rng.seeded(9), 1);
                    CnfDynamics b = new CnfDynamics(FlowField.of(m64), EndTime.fixed(1), null, div, ch, B, D, Rng.seeded(9), 1);
                    List<Tensor> s32 = stateOf(a, z32);
                    List<Tensor> s64 = stateOf(b, z64);
                    List<Tensor> o32 = values(a, s32);
                    List<Tensor> o64 = values(b, s64);
                    double scale = 0;
                    double diff = 0;
                    for (int c = 0; c < o64.size(); c++) {
                        assertEquals(DType.F32, o32.get(c).dtype());
                        for (int i = 0; i < o64.get(c).size(); i++) {
                            scale = Math.max(scale, Math.abs(o64.get(c).getFlat(i)));
                            diff = Math.max(diff, Math.abs(o32.get(c).getFlat(i) - o64.get(c).getFlat(i)));
                        }
                    }
                    worstValue = Math.max(worstValue, diff / scale);
                    worstGrad = Math.max(worstGrad, GradCheck.relativeError(gradient(a, s32), gradient(b, s64)));
                }
            }
        }
        System.out.printf("cnf closed form float32 vs float64: values %.2e, gradients %.2e%n", worstValue, worstGrad);
        assertTrue(worstValue <= 1e-5, "values " + worstValue);
        assertTrue(worstGrad <= 1e-4, "gradients " + worstGrad);
    }

    @Test
    void onlyConcatSquashMlpsWithSmoothActivationsQualify() {
        assertTrue(ClosedFormField.of(Mlp.field(new Mlp.FieldConfig(List.of(2, 4, 2), TimeInput.CONCAT_SQUASH,
                Activation.TANH, false), Rng.seeded(1))) != null);
        assertEquals(null, ClosedFormField.of(Mlp.field(new Mlp.FieldConfig(List.of(2, 4, 2), TimeInput.CONCAT,
                Activation.TANH, false), Rng.seeded(1))));
        assertEquals(null, ClosedFormField.of(Mlp.field(new Mlp.FieldConfig(List.of(2, 4, 2), TimeInput.CONCAT_SQUASH,
                Activation.RELU, false), Rng.seeded(1))));
    }
}
