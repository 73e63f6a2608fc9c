package org.neuralode4j.analysis;

import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Expansion of the ODE block from z(t0) to z(t1), {@code evaluation.md} §1.5, with μ₂ along the trajectories
 * (§1.3; {@code stability.md} §1.3):
 * <ul>
 *   <li>μ₂(J_{b,j}) at every sample and grid time t_j = t0 + j(t1 − t0)/M (exact Jacobians, float64);</li>
 *   <li>the empirical ratio ρ_b = ‖φ(z_b + η_b) − φ(z_b)‖/‖η_b‖ with η_b = r·w/‖w‖, w ~ N(0, I);</li>
 *   <li>the local expansion s_b = ‖∂z(t1)/∂z(t0)‖₂ of the numerical flow, by d reverse sweeps through the recorded
 *       solve (the derivative of the discrete map, as the variational equation solved by the same method gives);</li>
 *   <li>the log-norm bound B_b = exp(I_b), I_b the trapezoid integral of μ₂ over the grid, and the fraction of
 *       samples with s_b &gt; B_b(1 + 1e-3) (a grid-resolution diagnostic, not an error).</li>
 * </ul>
 */
public final class Expansion {
    /** s_b by dense reverse sweeps needs d ≤ 64 (§1.5; the power-iteration path for larger d is not built). */
    public static final int MAX_DIM = 64;

    private Expansion() {}

    /**
     * @param f          a row-independent field
     * @param z0         initial states [B, d], d ≤ {@value #MAX_DIM}
     * @param gridPoints M + 1 ≥ 2
     * @param radius     r of the perturbations (default 0.1)
     * @param seed       seed of the perturbation directions
     */
    public static ExpansionStats along(Dynamics f, Tensor z0, double t0, double t1, int gridPoints, SolverConfig cfg,
                                       double radius, long seed) {
        int batch = z0.dim(0);
        int d = z0.size() / Math.max(1, batch);
        if (d > MAX_DIM || gridPoints < 2 || batch < 1) {
            throw new IllegalArgumentException("Expansion.along: need 1 <= d <= " + MAX_DIM + ", gridPoints >= 2 and a"
                    + " non-empty batch, got d = " + d + ", " + gridPoints + ", B = " + batch);
        }
        double[] times = Conditioning.grid(t0, t1, gridPoints);
        double[][] mu = new double[batch][gridPoints];
        Tensor zEnd;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution sol = Ode.solve(f, List.of(z0.detach()), times, cfg);
            for (int j = 0; j < gridPoints; j++) {
                double[][][] jac = Jacobians.exact(f, times[j], sol.state(j).get(0));
                for (int b = 0; b < batch; b++) {
                    mu[b][j] = Conditioning.mu2(jac[b]);
                }
            }
            zEnd = sol.last(0);
        }
        double[] bound = new double[batch];
        for (int b = 0; b < batch; b++) {
            double integral = 0;
            for (int j = 1; j < gridPoints; j++) {
                integral += 0.5 * (mu[b][j - 1] + mu[b][j]) * (times[j] - times[j - 1]);
            }
            bound[b] = Math.exp(integral);
        }
        double[] ratio = empiricalRatios(f, z0, zEnd, t0, t1, cfg, radius, seed);
        double[] local = localExpansion(f, z0, t0, t1, cfg);
        double[] mu2 = new double[batch * gridPoints];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(mu[b], 0, mu2, b * gridPoints, gridPoints);
        }
        return new ExpansionStats(mu2, ratio, local, bound);
    }

    private static double[] empiricalRatios(Dynamics f, Tensor z0, Tensor zEnd, double t0, double t1, SolverConfig cfg,
                                            double radius, long seed) {
        int batch = z0.dim(0);
        int d = z0.size() / batch;
        double[] w = Rng.seeded(seed).normal(0.0, 1.0, batch, d).toArray();
        double[] z = z0.toArray();
        double[] moved = z.clone();
        for (int b = 0; b < batch; b++) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += w[b * d + i] * w[b * d + i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                moved[b * d + i] += radius * w[b * d + i] / norm;
            }
        }
        double[] end;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            end = Ode.solve(f, Tensor.of(moved, batch, d), t0, t1, cfg).last(0).toArray();
        }
        double[] base = zEnd.toArray();
        double[] ratio = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                double e = end[b * d + i] - base[b * d + i];
                s += e * e;
            }
            ratio[b] = Math.sqrt(s) / radius;
        }
        return ratio;
    }

    private static double[] localExpansion(Dynamics f, Tensor z0, double t0, double t1, SolverConfig cfg) {
        int batch = z0.dim(0);
        int d = z0.size() / batch;
        double[][][] phi = new double[batch][d][d];
        try (GradMode.Scope ignored = GradMode.enableGrad()) {
            Tensor leaf = z0.detach().requiringGrad();
            Tensor end = Ode.solve(f, leaf, t0, t1, cfg).last(0);
            for (int i = 0; i < d; i++) {
                double[] onehot = new double[batch * d];
                for (int b = 0; b < batch; b++) {
                    onehot[b * d + i] = 1.0;
                }
                double[] row = Autograd.grad(List.of(end), List.of(leaf), List.of(Tensor.of(onehot, batch, d)), false,
                        true).get(0).toArray();
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(row, b * d, phi[b][i], 0, d);
                }
            }
        }
        double[] s = new double[batch];
        for (int b = 0; b < batch; b++) {
            double[] sv = Conditioning.singularValues(phi[b]);
            s[b] = sv.length == 0 ? 0 : sv[0];
        }
        return s;
    }

    /** Type-7 percentile of unsorted values (§1.4). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ConditioningStats.percentile(sorted, p);
    }
}
