package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The low-rank option of De Marinis, Guglielmi, Sicilia, Tudisco (2025) as {@code stability.md} §3.8 fixes it: after
 * each Euler step of the inner flow, E + hĖ is replaced by its best rank-r approximation (truncated SVD, by
 * Eckart–Young the Frobenius-nearest matrix of rank ≤ r) and then normalised; E₀ is treated the same way. The
 * inner level's acceptance test (strict decrease of F) is unchanged, so monotonicity still holds.
 *
 * <p>This truncation is the library's stand-in for the authors' fixed-rank integrator (K-, L- and S-substeps), an
 * open question of §3.8. With rank r the minimal perturbation of §3.1 may have no feasible rank-r point at all (one
 * rank-r Δ lowers at most r eigenvalues of Sym(D_k A)); {@link OuterLevel} then reports INFEASIBLE rather than
 * returning its full-rank fallback.
 */
final class LowRankTruncation {
    private final int rank;

    /** @param rank r ≥ 1, or 0 for full rank (no truncation) */
    LowRankTruncation(int rank) {
        this.rank = rank;
    }

    /** True when this truncation changes nothing for n×n matrices. */
    boolean isFullRank(int n) {
        return rank == 0 || rank >= n;
    }

    /** The best rank-r approximation of the square matrix x, normalised to unit Frobenius norm. */
    double[] unitApproximation(double[] x) {
        return SquareMatrices.normalised(approximation(x));
    }

    /** The best rank-r approximation of the square matrix x (x itself, copied, at full rank). */
    double[] approximation(double[] x) {
        int n = SquareMatrices.side(x);
        if (isFullRank(n)) {
            return x.clone();
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, true, true, false);
        if (!svd.decompose(new DMatrixRMaj(n, n, true, x.clone()))) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "the rank-" + rank + " truncation's SVD failed: check the model for NaN or Inf weights");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        for (int i = rank; i < n; i++) {
            w.set(i, i, 0);
        }
        DMatrixRMaj uw = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(u, w, uw);
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(uw, vt, out);
        return out.data;
    }
}
