package org.neuralode4j.analysis;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Tensor;

/**
 * Conditioning of the field's Jacobian along trajectories, {@code evaluation.md} §1 ("Conditioning along
 * trajectories"): §1.1 time grid, §1.2 exact Jacobians, §1.3 per-(sample, time) quantities, §1.4 pooled
 * statistics (see {@link ConditioningStats}). All analysis arithmetic is float64 (§0 "Mode").
 *
 * <p>Per matrix: singular values from a dense SVD of J itself (never of JᵀJ, which would square κ and lose
 * the small singular values to rounding), κ₂ = σ_max/σ_min (+∞ when σ_min = 0), ‖J‖_F, and the logarithmic
 * 2-norm μ₂(J) = λ_max((J + Jᵀ)/2) from a dense symmetric eigensolver.
 *
 * <p>Not covered here: the Lanczos path for d &gt; 1024, the {@code grid = steps} option with trapezoid weights,
 * the per-time profile and final-time statistics (callers can run {@link ConditioningStats#of} on a subset).
 */
public final class Conditioning {
    /** §1.2: κ needs d ≤ 64 (dense SVD per (sample, time) pair). */
    public static final int MAX_KAPPA_DIM = 64;

    private Conditioning() {}

    /**
     * Solves from t0 to t1 without recording, and pools κ, ‖J‖_F and μ₂ over every sample at every output time.
     *
     * <p>The grid is t_j = t0 + j·(t1 − t0)/M, j = 0..M, with M = gridPoints − 1 (§1.1; the spec's default
     * M = 10 is gridPoints = 11). States come from the given solver settings, which should be the clean
     * evaluation's: with an adaptive solver the output times are served by dense output without changing the
     * step sequence; with a fixed-step solver use the ALIGNED layout so grid states are exact step states.
     *
     * @param f          a row-independent field; its first state component is analysed
     * @param z0         initial states [B, ...], D = entries per sample ≤ {@value #MAX_KAPPA_DIM}
     * @param gridPoints number of output times, ≥ 2
     * @throws IllegalArgumentException on gridPoints &lt; 2 or D &gt; {@value #MAX_KAPPA_DIM}
     */
    public static ConditioningStats along(Dynamics f, Tensor z0, double t0, double t1, int gridPoints,
                                          SolverConfig cfg) {
        if (gridPoints < 2) {
            throw new IllegalArgumentException("Conditioning.along: gridPoints must be >= 2, got " + gridPoints);
        }
        int batch = z0.dim(0);
        int d = batch == 0 ? 0 : z0.size() / batch;
        if (d > MAX_KAPPA_DIM) {
            throw new IllegalArgumentException("Conditioning.along: κ needs d <= " + MAX_KAPPA_DIM
                    + " (evaluation.md §1.2), got d = " + d);
        }
        double[] times = grid(t0, t1, gridPoints);
        Solution sol;
        // Analysis only: nothing is differentiated through the solve, so recording would just cost memory.
        try (var s = GradMode.noGrad()) {
            sol = Ode.solve(f, List.of(z0.detach()), times, cfg);
        }
        int n = gridPoints * batch;
        double[] kappa = new double[n];
        double[] frob = new double[n];
        double[] mu = new double[n];
        int k = 0;
        for (int j = 0; j < gridPoints; j++) {
            double[][][] jac = Jacobians.exact(f, times[j], sol.state(j).get(0));
            for (double[][] jb : jac) {
                kappa[k] = kappa(jb);
                frob[k] = frobenius(jb);
                mu[k] = mu2(jb);
                k++;
            }
        }
        return ConditioningStats.of(kappa, frob, mu);
    }

    /**
     * The §1.1 grid: {@code points} equally spaced times from t0 to t1 inclusive. Each time is computed from its
     * index (not by accumulating steps) and the last is exactly t1, so no rounding drift reaches the endpoint.
     */
    public static double[] grid(double t0, double t1, int points) {
        int m = points - 1;
        double[] times = new double[points];
        for (int j = 0; j <= m; j++) {
            times[j] = t0 + j * (t1 - t0) / m;
        }
        times[m] = t1;
        return times;
    }

    /** Singular values σ₁ ≥ … ≥ σ_d of a square matrix, from a dense float64 SVD (§1.3). */
    public static double[] singularValues(double[][] jac) {
        int d = jac.length;
        if (d == 0) {
            return new double[0];
        }
        DMatrixRMaj a = new DMatrixRMaj(jac);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, false, false, true);
        if (!svd.decompose(a)) {
            throw new ArithmeticException("SVD failed (non-finite Jacobian?)");
        }
        double[] sv = new double[svd.numberOfSingularValues()];
        for (int i = 0; i < sv.length; i++) {
            sv[i] = svd.getSingularValues()[i];
        }
        Arrays.sort(sv);
        // descending, as §1.3 lists them
        for (int i = 0, j = sv.length - 1; i < j; i++, j--) {
            double tmp = sv[i];
            sv[i] = sv[j];
            sv[j] = tmp;
        }
        return sv;
    }

    /** κ₂ = σ_max/σ_min with no stabiliser (§1.3); +∞ when σ_min = 0 (including J = 0). */
    public static double kappa(double[][] jac) {
        double[] sv = singularValues(jac);
        if (sv.length == 0) {
            return Double.NaN;
        }
        double min = sv[sv.length - 1];
        return min == 0 ? Double.POSITIVE_INFINITY : sv[0] / min;
    }

    /** ‖J‖_F = √(Σ J_ij²); plain summation suffices for Jacobian entries of moderate size. */
    public static double frobenius(double[][] jac) {
        double s = 0;
        for (double[] row : jac) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** μ₂(J) = λ_max((J + Jᵀ)/2), the logarithmic 2-norm (§1.3, {@code stability.md} §1). */
    public static double mu2(double[][] jac) {
        int d = jac.length;
        if (d == 0) {
            return Double.NaN;
        }
        DMatrixRMaj sym = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sym.set(i, j, 0.5 * (jac[i][j] + jac[j][i]));
            }
        }
        // The symmetric solver returns real eigenvalues; a general one could add spurious imaginary parts.
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(sym)) {
            throw new ArithmeticException("symmetric eigendecomposition failed (non-finite Jacobian?)");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            max = Math.max(max, eig.getEigenvalue(i).real);
        }
        return max;
    }
}
