package org.neuralode4j.stability;

import org.ejml.data.DMatrixRMaj;

/**
 * Constraint states of a field in which one weight matrix W (rows×cols) is perturbed and every other factor of the
 * Jacobian is frozen: J_k = P_k(W + Δ)Q_k with P_k n×rows and Q_k cols×n, De Marinis, Guglielmi, Sicilia, Tudisco
 * (2025), {@code stability.md} §3.8 ("one matrix W_ℓ of the general MLP field") and the general rule of §3.3. For the
 * MLP field of {@code regularisers.md} §6.3, P_k is the product of the layers above W_ℓ with their activation
 * diagonals and Q_k that of the layers below, both evaluated at state x_k and then frozen (§2.3 step 4); the default
 * field is the special case P_k = D_k, Q_k = I.
 */
public final class FrozenFactorStates {
    private final int n;
    private final int rows;
    private final int cols;
    private final DMatrixRMaj[] left;
    private final DMatrixRMaj[] right;

    private FrozenFactorStates(int n, int rows, int cols, DMatrixRMaj[] left, DMatrixRMaj[] right) {
        this.n = n;
        this.rows = rows;
        this.cols = cols;
        this.left = left;
        this.right = right;
    }

    /**
     * @param n     the state dimension (J_k is n×n)
     * @param rows  rows of W
     * @param cols  columns of W
     * @param left  P_k, row-major n×rows each
     * @param right Q_k, row-major cols×n each (as many as {@code left})
     */
    public static FrozenFactorStates of(int n, int rows, int cols, double[][] left, double[][] right) {
        if (n < 1 || rows < 1 || cols < 1) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED,
                    "frozen factors: n = " + n + ", W " + rows + "x" + cols + ": every dimension must be >= 1");
        }
        if (left.length == 0) {
            throw new StabilityException(StabilityException.Kind.NO_STATES,
                    "no constraint states: give a non-empty training set (--samples >= 1)");
        }
        if (left.length != right.length) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "frozen factors: " + left.length
                    + " left factors P_k but " + right.length + " right factors Q_k; give one pair per state");
        }
        DMatrixRMaj[] p = new DMatrixRMaj[left.length];
        DMatrixRMaj[] q = new DMatrixRMaj[right.length];
        for (int k = 0; k < left.length; k++) {
            p[k] = factor(left[k], n, rows, "P", k);
            q[k] = factor(right[k], cols, n, "Q", k);
        }
        return new FrozenFactorStates(n, rows, cols, p, q);
    }

    private static DMatrixRMaj factor(double[] x, int r, int c, String name, int k) {
        if (x.length != r * c) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "constraint state k = " + k + ": " + name
                    + "_k has " + x.length + " entries, expected " + r + "x" + c);
        }
        if (!SquareMatrices.allFinite(x)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE, "constraint state k = " + k + ": " + name
                    + "_k has a NaN or Inf entry; the model's trajectories diverge, retrain it");
        }
        return new DMatrixRMaj(r, c, true, x.clone());
    }

    /** P_k = D_k, Q_k = I: the default field ẋ = σ(Ax + b) of §2.1 written with frozen factors. */
    public static FrozenFactorStates ofDefaultField(ConstraintStates states) {
        int n = states.n();
        double[][] p = new double[states.size()][];
        double[][] q = new double[states.size()][];
        for (int k = 0; k < states.size(); k++) {
            double[] d = states.scale(k);
            p[k] = new double[n * n];
            for (int i = 0; i < n; i++) {
                p[k][i * n + i] = d[i];
            }
            q[k] = SquareMatrices.identity(n, 1);
        }
        return of(n, n, n, p, q);
    }

    public int size() {
        return left.length;
    }

    /** The state dimension: J_k is n×n. */
    public int n() {
        return n;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** P_k (shared, not copied: callers in this package only read it). */
    DMatrixRMaj left(int k) {
        return left[k];
    }

    /** Q_k (shared, not copied). */
    DMatrixRMaj right(int k) {
        return right[k];
    }
}
