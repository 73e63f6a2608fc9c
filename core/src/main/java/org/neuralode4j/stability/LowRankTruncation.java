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
    private final int rows;
    private final int cols;

    /**
     * @param rank r ≥ 1, or 0 for full rank (no truncation)
     * @param rows rows of the matrices it truncates (row-major)
     * @param cols their columns
     */
    LowRankTruncation(int rank, int rows, int cols) {
        this.rank = rank;
        this.rows = rows;
        this.cols = cols;
    }

    /** True when this truncation changes nothing. */
    boolean isFullRank() {
        return rank == 0 || rank >= Math.min(rows, cols);
    }

    /** The best rank-r approximation of x, normalised to unit Frobenius norm. */
    double[] unitApproximation(double[] x) {
        return SquareMatrices.normalised(approximation(x));
    }

    /** The best rank-r approximation of x (x itself, copied, at full rank). */
    double[] approximation(double[] x) {
        if (x.length != rows * cols) {
            throw new IllegalArgumentException(x.length + " entries for a " + rows + "x" + cols + " matrix");
        }
        if (isFullRank()) {
            return x.clone();
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, false);
        if (!svd.decompose(new DMatrixRMaj(rows, cols, true, x.clone()))) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "the rank-" + rank + " truncation's SVD failed: check the model for NaN or Inf weights");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        for (int i = rank; i < Math.min(rows, cols); i++) {
            w.set(i, i, 0);
        }
        DMatrixRMaj uw = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(u, w, uw);
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(uw, vt, out);
        return out.data;
    }
}
