package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * One constraint state's part of the violation functional, De Marinis, Guglielmi, Sicilia, Tudisco (2025),
 * {@code stability.md} §3.3, for fields whose J_k is formed explicitly (the §3.8 options): the symmetric part
 * S_k = Sym(J_k), its eigen-decomposition, the state's share ½ Σ (λ_i − δ)₊² of F (ALL; TOP keeps the top eigenvalue
 * only) and Π_k = Σ (λ_i − δ)₊ v_i v_iᵀ. Each field form then maps Π_k to its own gradient blocks. One instance per
 * evaluation (it holds scratch matrices), for states of size n.
 */
final class SymmetricPartViolation {
    private final int n;
    private final DMatrixRMaj sym;
    private final DMatrixRMaj pi;
    private final double[] lambda;
    private final EigenDecomposition_F64<DMatrixRMaj> eig;
    private double share;
    private double top;

    SymmetricPartViolation(int n) {
        this.n = n;
        this.sym = new DMatrixRMaj(n, n);
        this.pi = new DMatrixRMaj(n, n);
        this.lambda = new double[n];
        this.eig = DecompositionFactory_DDRM.eig(n, true, true);
    }

    /**
     * Decomposes Sym(j) for state k against the target δ. Afterwards {@link #pi()} is Π_k, {@link #share()} the
     * state's part of F and {@link #top()} its largest eigenvalue.
     *
     * @return whether some eigenvalue counted by the form exceeds δ (Π_k ≠ 0)
     */
    boolean evaluate(DMatrixRMaj j, int k, double delta, Functional form) {
        CommonOps_DDRM.transpose(j, sym);
        CommonOps_DDRM.add(0.5, j, 0.5, sym, sym);
        if (!eig.decompose(sym)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE, "the eigensolver failed at constraint"
                    + " state k = " + k + ": check the model for NaN or Inf weights");
        }
        int topIndex = 0;
        for (int i = 0; i < n; i++) {
            lambda[i] = eig.getEigenvalue(i).real;
            if (!Double.isFinite(lambda[i])) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE, "eigenvalue " + lambda[i]
                        + " at constraint state k = " + k + ": check the model for NaN or Inf weights");
            }
            if (lambda[i] > lambda[topIndex]) {
                topIndex = i;
            }
        }
        top = lambda[topIndex];
        pi.zero();
        share = 0;
        boolean violated = false;
        for (int i = 0; i < n; i++) {
            double excess = lambda[i] - delta;
            if (excess > 0 && (form == Functional.ALL || i == topIndex)) {
                share += 0.5 * excess * excess;
                addScaledProjector(excess, eig.getEigenVector(i).data);
                violated = true;
            }
        }
        return violated;
    }

    /** Π_k of the last evaluation (a view: overwritten by the next). */
    DMatrixRMaj pi() {
        return pi;
    }

    /** The last state's share of F. */
    double share() {
        return share;
    }

    /** The last state's largest eigenvalue of Sym(J_k). */
    double top() {
        return top;
    }

    /** Π += c·v vᵀ/‖v‖² (EJML's vectors are unit up to rounding). */
    private void addScaledProjector(double c, double[] v) {
        double nn = SquareMatrices.dot(v, v);
        double[] p = pi.data;
        for (int r = 0; r < n; r++) {
            double vr = c * v[r] / nn;
            for (int col = 0; col < n; col++) {
                p[r * n + col] += vr * v[col];
            }
        }
    }
}
