package org.neuralode4j.stability;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Seeded random instances and small oracles shared by the stability tests (stability.md §6). */
final class Instances {
    private Instances() {}

    static double[] gaussian(Random r, int n, double scale) {
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * r.nextGaussian();
        }
        return a;
    }

    /** K diagonals with entries U(lo, hi). */
    static ConstraintStates uniformScales(Random r, int n, int k, double lo, double hi) {
        double[][] d = new double[k][n];
        for (int s = 0; s < k; s++) {
            for (int i = 0; i < n; i++) {
                d[s][i] = lo + (hi - lo) * r.nextDouble();
            }
        }
        return ConstraintStates.ofScales(n, d);
    }

    /** Ascending eigenvalues of a symmetric matrix. */
    static double[] symEigenvalues(double[] s) {
        int n = SquareMatrices.side(s);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        eig.decompose(new DMatrixRMaj(n, n, true, s.clone()));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = eig.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** exp(A) by scaling and squaring of a 30-term Taylor series (test oracle for small matrices). */
    static double[] expm(double[] a) {
        int n = SquareMatrices.side(a);
        double norm = SquareMatrices.norm(a);
        int s = Math.max(0, (int) Math.ceil(Math.log(norm / 0.25) / Math.log(2)));
        double[] x = SquareMatrices.scaled(Math.pow(2, -s), a);
        double[] sum = SquareMatrices.identity(n, 1);
        double[] term = SquareMatrices.identity(n, 1);
        for (int k = 1; k <= 30; k++) {
            term = SquareMatrices.scaled(1.0 / k, mul(term, x, n));
            sum = SquareMatrices.plusScaled(sum, 1, term);
        }
        for (int i = 0; i < s; i++) {
            sum = mul(sum, sum, n);
        }
        return sum;
    }

    static double[] mul(double[] x, double[] y, int n) {
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double v = x[i * n + k];
                for (int j = 0; j < n; j++) {
                    z[i * n + j] += v * y[k * n + j];
                }
            }
        }
        return z;
    }

    static double spectralNorm(double[] a) {
        int n = SquareMatrices.side(a);
        var svd = DecompositionFactory_DDRM.svd(n, n, false, false, true);
        svd.decompose(new DMatrixRMaj(n, n, true, a.clone()));
        double m = 0;
        for (double v : svd.getSingularValues()) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Random unit Frobenius direction. */
    static double[] unit(Random r, int n) {
        return SquareMatrices.normalised(gaussian(r, n, 1));
    }

    /** The §6 test settings for T-5, T-6, T-8: τ 1e-9, relTol 1e-6, maxInner 500. */
    static StabilityOptions tight(double delta) {
        return StabilityOptions.defaults(delta).withTolerances(1e-9, 1e-6, 500);
    }
}
