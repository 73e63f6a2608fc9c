package org.neuralode4j.stability;

/**
 * Constraint states of the two-layer field ẋ = σ(A₂σ(A₁x + b₁) + b₂) of De Marinis, Guglielmi, Sicilia, Tudisco
 * (2025), {@code stability.md} §3.8: J_k = D₂,k A₂ D₁,k A₁ with A₁ h×n, A₂ n×h and the frozen activation diagonals
 * D₁,k (h entries, inner layer) and D₂,k (n entries, outer layer) of state x_k (§2.3 step 4).
 */
public final class TwoLayerStates {
    private final int n;
    private final int hidden;
    private final double[][] inner;
    private final double[][] outer;

    private TwoLayerStates(int n, int hidden, double[][] inner, double[][] outer) {
        this.n = n;
        this.hidden = hidden;
        this.inner = inner;
        this.outer = outer;
    }

    /**
     * @param n      state dimension
     * @param hidden hidden width h
     * @param inner  D₁,k diagonals, h entries each
     * @param outer  D₂,k diagonals, n entries each (as many as {@code inner})
     */
    public static TwoLayerStates of(int n, int hidden, double[][] inner, double[][] outer) {
        if (inner.length == 0) {
            throw new StabilityException(StabilityException.Kind.NO_STATES,
                    "no constraint states: give a non-empty training set (--samples >= 1)");
        }
        if (inner.length != outer.length) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "two-layer field: " + inner.length
                    + " inner diagonals D1_k but " + outer.length + " outer diagonals D2_k; give one pair per state");
        }
        double[][] d1 = new double[inner.length][];
        double[][] d2 = new double[outer.length][];
        for (int k = 0; k < inner.length; k++) {
            d1[k] = diagonal(inner[k], hidden, "D1", k);
            d2[k] = diagonal(outer[k], n, "D2", k);
        }
        return new TwoLayerStates(n, hidden, d1, d2);
    }

    private static double[] diagonal(double[] d, int len, String name, int k) {
        if (d.length != len) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "constraint state k = " + k + ": " + name
                    + "_k has " + d.length + " entries, expected " + len);
        }
        if (!SquareMatrices.allFinite(d)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE, "constraint state k = " + k + ": " + name
                    + "_k has a NaN or Inf activation derivative; retrain the model");
        }
        return d.clone();
    }

    public int size() {
        return inner.length;
    }

    public int n() {
        return n;
    }

    public int hidden() {
        return hidden;
    }

    /** D₁,k (shared, not copied: callers in this package only read it). */
    double[] inner(int k) {
        return inner[k];
    }

    /** D₂,k (shared, not copied). */
    double[] outer(int k) {
        return outer[k];
    }
}
