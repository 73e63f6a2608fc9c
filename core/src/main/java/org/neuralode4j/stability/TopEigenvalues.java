package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * λ_{k,1} = μ₂(D_k A) at every constraint state, eigenvalues only (EJML symmetric, no vectors): the "m before and
 * after" summaries of De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §4.3.
 *
 * @param values λ_{k,1} per state
 */
public record TopEigenvalues(double[] values) {
    public static TopEigenvalues of(double[] a, ConstraintStates states) {
        int n = SquareMatrices.side(a);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        double[] out = new double[states.size()];
        for (int k = 0; k < states.size(); k++) {
            double[] d = states.scale(k);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s.data[i * n + j] = 0.5 * (d[i] * a[i * n + j] + d[j] * a[j * n + i]);
                }
            }
            if (!eig.decompose(s)) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE,
                        "the eigensolver failed at constraint state k = " + k + ": check the model for NaN or Inf");
            }
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                top = Math.max(top, eig.getEigenvalue(i).real);
            }
            if (!Double.isFinite(top)) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE,
                        "eigenvalue " + top + " at constraint state k = " + k + ": check the model for NaN or Inf");
            }
            out[k] = top;
        }
        return new TopEigenvalues(out);
    }

    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    public double mean() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }
}
