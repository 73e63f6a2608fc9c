package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralode4j.cnf.CnfFixtures.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.ChebyshevNodes;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * cnf.md §6.4 / issue 8 acceptance: the gradient of the regularised CNF loss mean NLL + 0.5·mean E + 0.5·mean N
 * (RNODE_MEAN, fixed ε) with respect to every parameter, the learned end time's q and the data x:
 * DIRECT against central differences on the same RK4 grid, and both adjoints (dopri5 at 1e-10) against DIRECT on
 * a fine grid. Repeated for the Hutchinson trace (N shares its ε and vjp), the exact trace with N's own probe
 * (W2's exact/rnode), and the exact trace with the exact ‖J‖²_F from its rows.
 */
class CnfGradientTest {
    private static final long NOISE_SEED = 77;

    private static final RnodeChannels CHANNELS = new RnodeChannels(0.5, 0.5, RnodeChannels.Normalisation.RNODE_MEAN, false,
            RnodeChannels.ExactTraceJacobian.OWN_PROBE);

    /**
     * 2-8-8-2 ConcatSquash tanh. Learned T (q², T0 = 0.8) runs the autodiff right-hand side; a fixed T runs the
     * closed form ({@link ClosedFormField}), so both paths are checked end to end.
     */
    private static ContinuousFlow model(boolean learnedT) {
        return concatSquash(2, List.of(8, 8), learnedT ? EndTime.learned(0.8) : EndTime.fixed(0.8), 5);
    }

    private static Tensor data() {
        return Rng.seeded(6).normal(0, 1.5, 3, 2);
    }

    private static CnfSolve solve(SolverConfig solver, GradientMethod method, Divergence div, RnodeChannels ch) {
        return new CnfSolve(solver, method, div, ch, true);
    }

    /** [∂L/∂x, ∂L/∂θ…] flattened, by reverse mode through the given method. */
    private static double[] gradient(ContinuousFlow flow, Tensor x, CnfSolve solve) {
        Tensor xl = x.detach().requiringGrad();
        Tensor loss = flow.forward(xl, solve, Rng.seeded(NOISE_SEED)).loss();
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(xl);
        inputs.addAll(flow.parameterTensors());
        return GradCheck.flatten(Autograd.grad(loss, inputs));
    }

    private static double lossValue(ContinuousFlow flow, Tensor x, CnfSolve solve) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return flow.forward(x, solve, Rng.seeded(NOISE_SEED)).loss().item();
        }
    }

    /** Central differences (h = 1e-6, scaled by max(1, |v|)) over x and every parameter, in gradient order. */
    private static double[] finiteDifferences(ContinuousFlow flow, Tensor x, CnfSolve solve) {
        List<Double> g = new ArrayList<>();
        double h = 1e-6;
        double[] xv = x.toArray();
        for (int k = 0; k < xv.length; k++) {
            double x0 = xv[k];
            double step = h * Math.max(1, Math.abs(x0));
            xv[k] = x0 + step;
            double fp = lossValue(flow, Tensor.of(xv, x.shape().dims()), solve);
            xv[k] = x0 - step;
            double fm = lossValue(flow, Tensor.of(xv, x.shape().dims()), solve);
            xv[k] = x0;
            g.add((fp - fm) / (2 * step));
        }
        for (Parameter p : flow.parameters()) {
            Tensor orig = p.value();
            double[] v = orig.toArray();
            for (int k = 0; k < v.length; k++) {
                double v0 = v[k];
                double step = h * Math.max(1, Math.abs(v0));
                v[k] = v0 + step;
                p.set(Tensor.of(v, orig.shape().dims()));
                double fp = lossValue(flow, x, solve);
                v[k] = v0 - step;
                p.set(Tensor.of(v, orig.shape().dims()));
                double fm = lossValue(flow, x, solve);
                v[k] = v0;
                g.add((fp - fm) / (2 * step));
            }
            p.set(orig);
        }
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void checkAllMethods(Divergence div, RnodeChannels ch) {
        checkAllMethods(div, ch, true);
        checkAllMethods(div, ch, false);
    }

    private static void checkAllMethods(Divergence div, RnodeChannels ch, boolean learnedT) {
        ContinuousFlow flow = model(learnedT);
        Tensor x = data();
        // DIRECT is exact for the discrete map, so it must match differences of that map to FD accuracy.
        CnfSolve coarse = solve(rk4(16), new Direct(), div, ch);
        double[] direct = gradient(flow, x, coarse);
        double fdErr = GradCheck.relativeError(direct, finiteDifferences(flow, x, coarse));
        assertTrue(fdErr <= 1e-6, div.label() + ": DIRECT vs finite differences " + fdErr);
        // The adjoints solve the continuous adjoint equations: compare with DIRECT on a fine grid.
        double[] fine = gradient(flow, x, solve(rk4(512), new Direct(), div, ch));
        double back = GradCheck.relativeError(gradient(flow, x,
                solve(dopri5(1e-10), BacksolveAdjoint.defaults(), div, ch)), fine);
        assertTrue(back <= 1e-6, div.label() + ": BACKSOLVE_ADJOINT vs fine DIRECT " + back);
        double irdm = GradCheck.relativeError(gradient(flow, x, solve(dopri5(1e-10),
                InterpolatedAdjoint.withNodes(16, ChebyshevNodes.Family.LOBATTO), div, ch)), fine);
        assertTrue(irdm <= 1e-5, div.label() + ": INTERPOLATED_ADJOINT vs fine DIRECT " + irdm);
        System.out.printf("cnf gradients %s/%s, %s: direct vs FD %.2e, backsolve %.2e, interpolated %.2e%n", div.label(),
                ch.exactTraceJacobian(), learnedT ? "learned T (autodiff)" : "fixed T (closed form)", fdErr, back, irdm);
    }

    @Test
    void hutchinsonTraceSharedWithJacobianChannel() {
        checkAllMethods(Divergence.hutchinson(), CHANNELS);
    }

    @Test
    void exactTraceWithOwnJacobianProbe() {
        checkAllMethods(Divergence.exact(), CHANNELS);
    }

    @Test
    void exactTraceWithExactJacobianRows() {
        checkAllMethods(Divergence.exact(), CHANNELS.withExactTraceJacobian(RnodeChannels.ExactTraceJacobian.EXACT_ROWS));
    }
}
