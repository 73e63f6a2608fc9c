package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The W2 flow in float32 against float64 from the same weights, batch and probes: W2's solver (rtol = atol =
 * 1e-5), the closed-form and autodiff fields, exact and Hutchinson divergences, with the RNODE channels, direct and
 * adjoint. The loss agrees to 1e-5 relative and the gradient to 1e-3: float32 round-off (~1e-7) is about 1 % of
 * W2's tolerance (workloads.md §0), so the adaptive steps, and with them the gradient's truncation error, may
 * differ slightly between the precisions; the parameters' gradients come back float32.
 */
class Float32FlowTest {
    @Test
    void float32LikelihoodAndGradientMatchFloat64() {
        Tensor x = Toys2d.sample("8gaussians", 64, 5);
        for (boolean closedForm : new boolean[] {true, false}) {
            for (Divergence div : new Divergence[] {Divergence.exact(), Divergence.hutchinson()}) {
                for (GradientMethod method : new GradientMethod[] {new Direct(), BacksolveAdjoint.torchdiffeqCompatible()}) {
                    double[] loss = new double[2];
                    long[] nfe = new long[2];
                    double[][] grads = new double[2][];
                    for (DType dtype : DType.values()) {
                        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(2), closedForm);
                        flow.to(dtype);
                        CnfSolve solve = CnfSolve.w2(div, RnodeChannels.w2()).withMethod(method);
                        FlowResult r = flow.forward(x, solve, Rng.seeded(9));
                        Tensor l = r.loss();
                        assertEquals(dtype, l.dtype());
                        List<Parameter> ps = flow.parameters();
                        List<Tensor> g = Autograd.grad(l, ps.stream().map(Parameter::value).toList());
                        int n = 0;
                        for (Tensor t : g) {
                            assertEquals(dtype, t.dtype());
                            n += t.size();
                        }
                        double[] flat = new double[n];
                        int at = 0;
                        for (Tensor t : g) {
                            t.copyTo(0, flat, at, t.size());
                            at += t.size();
                        }
                        loss[dtype.ordinal()] = l.item();
                        nfe[dtype.ordinal()] = r.nfeForward();
                        grads[dtype.ordinal()] = flat;
                    }
                    String what = (closedForm ? "closed" : "autodiff") + " " + div.label() + " " + method.getClass().getSimpleName();
                    double ref = loss[DType.F64.ordinal()];
                    assertEquals(ref, loss[DType.F32.ordinal()], 1e-5 * Math.abs(ref), what + ": loss");
                    double diff = 0;
                    double norm = 0;
                    for (int i = 0; i < grads[0].length; i++) {
                        double d = grads[0][i] - grads[1][i];
                        diff += d * d;
                        norm += grads[0][i] * grads[0][i];
                    }
                    assertTrue(Math.sqrt(diff / norm) <= 1e-3, what + ": gradient relative difference " + Math.sqrt(diff / norm)
                            + " (forward NFE f64 " + nfe[0] + ", f32 " + nfe[1] + ")");
                }
            }
        }
    }
}
