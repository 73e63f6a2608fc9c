package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Logarithmic norms of a real square matrix, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md}
 * §1.1: μ₂(A) = λ_max(Sym A) (EJML's dense symmetric eigensolver), μ₁ (column sums) and μ_∞ (row sums), and the
 * gradient ∂μ₂/∂A = v vᵀ with v the unit top eigenvector of Sym A (§3.3), valid where that eigenvalue is simple.
 * Matrices are row-major flat arrays of n² entries.
 */
public final class LogNorms {
    private LogNorms() {}

    /** μ₂(A) = λ_max((A + Aᵀ)/2). */
    public static double mu2(double[] a) {
        return topEigenpair(sym(a)).value();
    }

    /** μ₁(A) = max_j (a_jj + Σ_{i≠j} |a_ij|). */
    public static double mu1(double[] a) {
        int n = SquareMatrices.side(a);
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    s += Math.abs(a[i * n + j]);
                }
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /** μ_∞(A) = max_i (a_ii + Σ_{j≠i} |a_ij|). */
    public static double muInf(double[] a) {
        int n = SquareMatrices.side(a);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double s = a[i * n + i];
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    s += Math.abs(a[i * n + j]);
                }
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /** ∂μ₂(A)/∂A = v vᵀ (row-major), v the unit top eigenvector of Sym A. */
    public static double[] mu2Gradient(double[] a) {
        double[] v = topEigenpair(sym(a)).vector();
        int n = v.length;
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = v[i] * v[j];
            }
        }
        return g;
    }

    /** μ₂(D·A) for a diagonal D given by its entries: the log norm of the dense field's Jacobian (§2.1). */
    public static double mu2OfScaled(double[] d, double[] a) {
        int n = d.length;
        double[] da = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                da[i * n + j] = d[i] * a[i * n + j];
            }
        }
        return mu2(da);
    }

    /** (A + Aᵀ)/2. */
    static double[] sym(double[] a) {
        int n = SquareMatrices.side(a);
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            }
        }
        return s;
    }

    /** A largest eigenvalue of a symmetric matrix and its unit eigenvector. */
    record Eigenpair(double value, double[] vector) {}

    static Eigenpair topEigenpair(double[] s) {
        int n = SquareMatrices.side(s);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, s))) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "the symmetric eigensolver failed on a " + n + "x" + n + " matrix: check it for NaN or Inf");
        }
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (eig.getEigenvalue(i).real > eig.getEigenvalue(best).real) {
                best = i;
            }
        }
        double[] v = eig.getEigenVector(best).data.clone();
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            v[i] /= norm;
        }
        return new Eigenpair(eig.getEigenvalue(best).real, v);
    }
}
