package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The violation functional of the two-layer field, both matrices perturbed, De Marinis, Guglielmi, Sicilia, Tudisco
 * (2025), {@code stability.md} §3.8. The perturbation is one flat vector (Δ₁ row-major h×n, then Δ₂ row-major n×h),
 * so Frobenius norms and inner products are summed over the two blocks as §3.8 asks. With Ã_i = A_i + Δ_i and
 * J_k = D₂,k Ã₂ D₁,k Ã₁, F and Π_k are those of §3.3, and the blocks of G follow the general rule with the other
 * factor current:
 *
 * <pre>
 *   G₂ = Σ_k D₂,k Π_k Ã₁ᵀ D₁,k        G₁ = Σ_k D₁,k Ã₂ᵀ D₂,k Π_k
 * </pre>
 *
 * F is not convex in (Δ₁, Δ₂) (J is bilinear), so the two-level algorithm finds a local minimum; δ ≥ 0 only, with
 * the feasible point Δ₂ = −A₂, Δ₁ = 0 (§3.9).
 */
public final class TwoLayerFunctional implements PerturbationFunctional {
    private final double[] a1;
    private final double[] a2;
    private final TwoLayerStates states;
    private final double delta;
    private final Functional form;
    private long evaluations;
    private long decompositions;

    /**
     * @param a1 A₁, row-major h×n
     * @param a2 A₂, row-major n×h
     */
    public TwoLayerFunctional(double[] a1, double[] a2, TwoLayerStates states, double delta, Functional form) {
        if (!(delta >= 0)) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "delta = " + delta + " is not supported"
                    + " for the two-layer field (stability.md §3.8): only delta >= 0, where A2 -> 0 is feasible; use"
                    + " delta >= 0");
        }
        int size = states.n() * states.hidden();
        if (a1.length != size || a2.length != size) {
            throw new IllegalArgumentException("A1 and A2 need " + size + " entries each (n = " + states.n() + ", h = "
                    + states.hidden() + "), got " + a1.length + " and " + a2.length);
        }
        if (!SquareMatrices.allFinite(a1) || !SquareMatrices.allFinite(a2)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "A1 or A2 has a NaN or Inf entry; retrain the model");
        }
        this.a1 = a1.clone();
        this.a2 = a2.clone();
        this.states = states;
        this.delta = delta;
        this.form = form;
    }

    @Override
    public Evaluation evaluate(double[] perturbation) {
        evaluations++;
        int n = states.n();
        int h = states.hidden();
        int size = n * h;
        DMatrixRMaj m1 = new DMatrixRMaj(h, n);
        DMatrixRMaj m2 = new DMatrixRMaj(n, h);
        for (int i = 0; i < size; i++) {
            m1.data[i] = a1[i] + perturbation[i];
            m2.data[i] = a2[i] + perturbation[size + i];
        }
        DMatrixRMaj lower = new DMatrixRMaj(h, n); // D₁ Ã₁
        DMatrixRMaj upper = new DMatrixRMaj(n, h); // D₂ Ã₂
        DMatrixRMaj j = new DMatrixRMaj(n, n);
        DMatrixRMaj g1 = new DMatrixRMaj(h, n);
        DMatrixRMaj g2 = new DMatrixRMaj(n, h);
        DMatrixRMaj t2 = new DMatrixRMaj(n, h);
        DMatrixRMaj t1 = new DMatrixRMaj(h, n);
        SymmetricPartViolation state = new SymmetricPartViolation(n);
        double f = 0;
        double worst = Double.NEGATIVE_INFINITY;
        int worstK = -1;
        for (int k = 0; k < states.size(); k++) {
            double[] d1 = states.inner(k);
            double[] d2 = states.outer(k);
            rowScaled(d1, m1, lower);
            rowScaled(d2, m2, upper);
            CommonOps_DDRM.mult(upper, lower, j);
            decompositions++;
            boolean violated = state.evaluate(j, k, delta, form);
            f += state.share();
            if (state.top() > worst) {
                worst = state.top();
                worstK = k;
            }
            DMatrixRMaj pi = state.pi();
            if (violated) {
                // G₂ += D₂ Π (D₁Ã₁)ᵀ: the general rule with P = D₂, Q = D₁Ã₁
                CommonOps_DDRM.multTransB(pi, lower, t2);
                addRowScaled(d2, t2, g2);
                // G₁ += D₁ (D₂Ã₂)ᵀ Π: the general rule with P = D₂Ã₂D₁, Q = I
                CommonOps_DDRM.multTransA(upper, pi, t1);
                addRowScaled(d1, t1, g1);
            }
        }
        double[] g = new double[2 * size];
        System.arraycopy(g1.data, 0, g, 0, size);
        System.arraycopy(g2.data, 0, g, size, size);
        return new Evaluation(f, g, worst - delta, worstK);
    }

    /** out = diag(d)·m. */
    private static void rowScaled(double[] d, DMatrixRMaj m, DMatrixRMaj out) {
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < cols; c++) {
                out.data[r * cols + c] = d[r] * m.data[r * cols + c];
            }
        }
    }

    /** acc += diag(d)·m. */
    private static void addRowScaled(double[] d, DMatrixRMaj m, DMatrixRMaj acc) {
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < cols; c++) {
                acc.data[r * cols + c] += d[r] * m.data[r * cols + c];
            }
        }
    }

    /** The feasible perturbation of §3.8: Δ₁ = 0, Δ₂ = −A₂ (J_k = 0). */
    double[] feasiblePerturbation() {
        int size = a2.length;
        double[] out = new double[2 * size];
        for (int i = 0; i < size; i++) {
            out[size + i] = -a2[i];
        }
        return out;
    }

    /** One row: the two blocks are a single flat vector, so a rank option has no meaning here. */
    @Override
    public int rows() {
        return 1;
    }

    @Override
    public int cols() {
        return 2 * a1.length;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }

    @Override
    public long decompositions() {
        return decompositions;
    }
}
