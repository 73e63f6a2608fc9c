package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The violation functional for one perturbed matrix W of a field with frozen factors, J_k = P_k(W + Δ)Q_k, De Marinis,
 * Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.8, by the general rule of §3.3:
 *
 * <pre>
 *   S_k = Sym(P_k(W + Δ)Q_k),   F and Π_k as in §3.3 (ALL or TOP),   G = Σ_k P_kᵀ Π_k Q_kᵀ
 * </pre>
 *
 * (dλ = vᵀ P_k dΔ Q_k v = ⟨P_kᵀ v vᵀ Q_kᵀ, dΔ⟩_F). Each constraint is λ_max of an affine function of Δ, so the
 * problem stays convex (§3.1), and for δ ≥ 0 the perturbation Δ = −W is feasible (J_k = 0). δ &lt; 0 is refused
 * (§3.9): without the diagonal structure of the default field no feasible point is known.
 *
 * <p>Unlike {@link ViolationFunctional} this evaluates every state with a full eigendecomposition, one thread: it
 * serves the multi-matrix option, not the dense block's benchmarked hot path.
 */
public final class FrozenFactorFunctional implements PerturbationFunctional {
    private final double[] w;
    private final FrozenFactorStates states;
    private final double delta;
    private final Functional form;
    private long evaluations;
    private long decompositions;

    /**
     * @param w      the unperturbed W, row-major rows×cols
     * @param states the frozen P_k, Q_k (K ≥ 1)
     * @param delta  the target δ ≥ 0
     * @param form   ALL or TOP
     */
    public FrozenFactorFunctional(double[] w, FrozenFactorStates states, double delta, Functional form) {
        if (!(delta >= 0)) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "delta = " + delta + " is not supported"
                    + " for a matrix with frozen outer factors (stability.md §3.8): only delta >= 0, where -W is"
                    + " feasible; use delta >= 0");
        }
        if (w.length != states.rows() * states.cols()) {
            throw new IllegalArgumentException(w.length + " weights for a " + states.rows() + "x" + states.cols()
                    + " matrix");
        }
        if (!SquareMatrices.allFinite(w)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "the perturbed weight matrix has a NaN or Inf entry; retrain the model");
        }
        this.w = w.clone();
        this.states = states;
        this.delta = delta;
        this.form = form;
    }

    @Override
    public Evaluation evaluate(double[] perturbation) {
        evaluations++;
        int n = states.n();
        DMatrixRMaj m = new DMatrixRMaj(states.rows(), states.cols(), true, SquareMatrices.plusScaled(w, 1, perturbation));
        DMatrixRMaj pm = new DMatrixRMaj(n, states.cols());
        DMatrixRMaj j = new DMatrixRMaj(n, n);
        DMatrixRMaj ptPi = new DMatrixRMaj(states.rows(), n);
        DMatrixRMaj g = new DMatrixRMaj(states.rows(), states.cols());
        SymmetricPartViolation state = new SymmetricPartViolation(n);
        double f = 0;
        double worst = Double.NEGATIVE_INFINITY;
        int worstK = -1;
        for (int k = 0; k < states.size(); k++) {
            CommonOps_DDRM.mult(states.left(k), m, pm);
            CommonOps_DDRM.mult(pm, states.right(k), j);
            decompositions++;
            boolean violated = state.evaluate(j, k, delta, form);
            f += state.share();
            if (state.top() > worst) {
                worst = state.top();
                worstK = k;
            }
            DMatrixRMaj pi = state.pi();
            if (violated) {
                // G += P_kᵀ Π_k Q_kᵀ (§3.3 general rule)
                CommonOps_DDRM.multTransA(states.left(k), pi, ptPi);
                CommonOps_DDRM.multAddTransB(ptPi, states.right(k), g);
            }
        }
        return new Evaluation(f, g.data, worst - delta, worstK);
    }

    /** The unperturbed W (a copy). */
    public double[] base() {
        return w.clone();
    }

    public double delta() {
        return delta;
    }

    @Override
    public int rows() {
        return states.rows();
    }

    @Override
    public int cols() {
        return states.cols();
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
