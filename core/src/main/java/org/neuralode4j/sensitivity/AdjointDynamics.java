package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/**
 * The adjoint system solved backwards in time (gradients.md §2.1, §3.3):
 * <pre>
 *   dz/dt = f(t, z),   da/dt = −(∂f/∂z)ᵀ a,   da_θ/dt = −(∂f/∂θ)ᵀ a
 * </pre>
 * One evaluation is one recorded pass of f plus one reverse sweep with cotangent a, which yields both vector–
 * Jacobian products. With a z-source (IRDM) z is not a state: it is read from the interpolant of the stored
 * forward values, and only [a, a_θ] are integrated.
 *
 * <p>State layout: [z (backsolve only), a, a_θ] with each parameter's adjoint flattened to [1, size].
 */
final class AdjointDynamics implements Dynamics {
    private final Dynamics f;
    private final List<Tensor> params;
    private final int nz;
    private final DoubleFunction<List<Tensor>> zSource;

    /**
     * @param f       the forward dynamics
     * @param params  the parameters (leaves f reads)
     * @param nz      number of state components of f
     * @param zSource null for backsolve (z is part of the state), else z(t) from stored values
     */
    AdjointDynamics(Dynamics f, List<Tensor> params, int nz, DoubleFunction<List<Tensor>> zSource) {
        this.f = f;
        this.params = params;
        this.nz = nz;
        this.zSource = zSource;
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> state) {
        int at = zSource == null ? nz : 0;
        List<Tensor> z = zSource == null ? state.subList(0, nz) : zSource.apply(t);
        List<Tensor> a = state.subList(at, at + nz);
        List<Tensor> fz;
        List<Tensor> vjp;
        // One evaluation, differentiated once right here: the field may record into buffers it reuses next time.
        try (GradMode.Scope ignored = GradMode.enableGrad(); GradMode.Scope once = GradMode.expectSingleBackward()) {
            List<Tensor> zl = new ArrayList<>(nz);
            for (Tensor c : z) {
                zl.add(c.detach().requiringGrad());
            }
            fz = f.apply(t, zl);
            List<Tensor> inputs = new ArrayList<>(zl);
            inputs.addAll(params);
            List<Tensor> outs = new ArrayList<>();
            List<Tensor> cot = new ArrayList<>();
            for (int c = 0; c < nz; c++) {
                if (fz.get(c).requiresGrad()) {
                    outs.add(fz.get(c));
                    cot.add(a.get(c));
                }
            }
            if (outs.isEmpty()) {
                vjp = new ArrayList<>();
                for (Tensor in : inputs) {
                    vjp.add(Tensor.zeros(in.dtype(), in.shape()));
                }
            } else {
                vjp = Autograd.grad(outs, inputs, cot, false, true);
            }
        }
        List<Tensor> out = new ArrayList<>(state.size());
        if (zSource == null) {
            for (Tensor c : fz) {
                out.add(c.detach());
            }
        }
        for (int c = 0; c < nz; c++) {
            out.add(Ops.neg(vjp.get(c)));
        }
        for (int p = 0; p < params.size(); p++) {
            out.add(Ops.reshape(Ops.neg(vjp.get(nz + p)), 1, params.get(p).size()));
        }
        return out;
    }

    @Override
    public boolean rowIndependent() {
        return false;
    }
}
