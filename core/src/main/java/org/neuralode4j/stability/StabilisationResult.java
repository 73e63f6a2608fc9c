package org.neuralode4j.stability;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The outcome of STABILISE, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.6, with the
 * "total" fields of §4.3.
 *
 * @param original       A0, row-major
 * @param stabilised     the final A (after float32 rounding when asked)
 * @param rounds         per-round records
 * @param satisfied      the last fresh states satisfy m ≤ τ
 * @param float32Check   max λ_{k,1} − δ on the last constraint set with the float32-rounded A (NaN if not float32)
 */
public record StabilisationResult(double[] original, double[] stabilised, List<RoundRecord> rounds,
                                  boolean satisfied, double float32Check) {
    /** Δ = A − A0. */
    public double[] perturbation() {
        return SquareMatrices.plusScaled(stabilised, -1.0, original);
    }

    /** ‖Δ‖_F. */
    public double frobenius() {
        return SquareMatrices.norm(perturbation());
    }

    /** ‖Δ‖_F/‖A0‖_F. */
    public double relative() {
        return frobenius() / SquareMatrices.norm(original);
    }

    /** Singular values of Δ, descending. */
    public double[] singularValues() {
        int n = SquareMatrices.side(original);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, false, false, true);
        if (!svd.decompose(new DMatrixRMaj(n, n, true, perturbation()))) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE, "the SVD of the perturbation failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    /** ‖Δ‖₂. */
    public double spectral() {
        double[] s = singularValues();
        return s.length == 0 ? 0 : s[0];
    }

    /** Numerical rank: singular values &gt; 1e-8·‖Δ‖₂ (§4.3). */
    public int rank() {
        double[] s = singularValues();
        if (s[0] == 0) {
            return 0;
        }
        int r = 0;
        for (double v : s) {
            if (v > 1e-8 * s[0]) {
                r++;
            }
        }
        return r;
    }

    /** Total F evaluations over the rounds. */
    public long evaluations() {
        return rounds.stream().mapToLong(RoundRecord::evaluations).sum();
    }

    /** Total eigendecompositions over the rounds. */
    public long decompositions() {
        return rounds.stream().mapToLong(RoundRecord::decompositions).sum();
    }
}
