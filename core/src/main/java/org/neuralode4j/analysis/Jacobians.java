package org.neuralode4j.analysis;

import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/**
 * Exact per-sample Jacobians of a field, {@code evaluation.md} §1.2 ("otherwise, d reverse-mode vector–Jacobian
 * products eᵢᵀJ, batched over samples"), with the notation of {@code regularisers.md} §1: J_b = ∂f/∂z at z_b,
 * a D×D matrix whose row i is the gradient of f_i.
 *
 * <p>Because the field is row-independent, one VJP with the cotangent e_i placed in every row yields row i of
 * every sample's Jacobian at once: D reverse sweeps in total, whatever the batch size.
 */
public final class Jacobians {
    private Jacobians() {}

    /**
     * J[b][i][j] = ∂f_i/∂z_j at (z_b, t), for the first state component of {@code f}.
     *
     * @param f a row-independent field (declared with {@link Dynamics#rowIndependent()}); its first component is
     *          used, and its output must have the shape of z
     * @param t the time at which f is evaluated
     * @param z the state [B, ...]; D is the number of entries per sample (all trailing axes flattened)
     * @return B matrices of size D×D, in float64
     * @throws IllegalArgumentException when the field is not declared row-independent (batching the VJPs over
     *                                  samples would then mix samples) or its output shape differs from z's
     */
    public static double[][][] exact(Dynamics f, double t, Tensor z) {
        if (!f.rowIndependent()) {
            throw new IllegalArgumentException("Jacobians.exact: the field is not declared row-independent, so "
                    + "per-sample Jacobians cannot be batched over samples (regularisers.md §1)");
        }
        if (z.rank() < 2) {
            throw new IllegalArgumentException("Jacobians.exact: state must be [B, ...], got shape " + z.shape());
        }
        int batch = z.dim(0);
        int d = z.size() / Math.max(batch, 1);
        double[][][] jac = new double[batch][d][d];
        if (batch == 0 || d == 0) {
            return jac;
        }
        // Gradients must be recorded even when the caller (e.g. an analysis solve) runs under no-grad; a
        // detached leaf keeps the sweeps off any graph the caller's z belongs to.
        try (var s = GradMode.enableGrad()) {
            Tensor zLeaf = z.detach().requiringGrad();
            Tensor fz = f.apply(t, List.of(zLeaf)).get(0);
            if (!fz.shape().equals(z.shape())) {
                throw new IllegalArgumentException("Jacobians.exact: field output shape " + fz.shape()
                        + " differs from state shape " + z.shape());
            }
            if (!fz.requiresGrad()) {
                // f does not depend on z (e.g. a constant field): J = 0, and grad() would refuse the output.
                return jac;
            }
            int[] dims = z.shape().dims();
            for (int i = 0; i < d; i++) {
                double[] onehot = new double[batch * d];
                for (int b = 0; b < batch; b++) {
                    onehot[b * d + i] = 1.0;
                }
                // allowUnused = true: a field whose output is on the graph but ignores z (e.g. depends only on
                // parameters) has J = 0 rather than being an error.
                Tensor row = Autograd.grad(List.of(fz), List.of(zLeaf), List.of(Tensor.of(onehot, dims)),
                        false, true).get(0);
                double[] g = row.toArray();
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(g, b * d, jac[b][i], 0, d);
                }
            }
        }
        return jac;
    }
}
