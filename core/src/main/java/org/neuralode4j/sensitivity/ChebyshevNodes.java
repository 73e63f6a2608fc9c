package org.neuralode4j.sensitivity;

/**
 * Chebyshev nodes and barycentric weights on an interval (gradients.md §3.1, IRDM: Daulbaev et al. 2020).
 *
 * <p>Nodes are returned in increasing order. The weights are those of the polynomial interpolant up to a common
 * factor (the affine map from [−1, 1] leaves them unchanged). {@link Pairing#ORIGINAL_MISMATCH} reproduces the
 * original code, which built Lobatto (extrema) nodes but paired them with first-kind weights: still an
 * interpolant through every stored value, but rational, converging only algebraically.
 */
public final class ChebyshevNodes {
    private ChebyshevNodes() {}

    /** Node family. */
    public enum Family {
        /** Chebyshev second kind (extrema), both ends included; the default. */
        LOBATTO,
        /** Roots of T_n (first kind), ends excluded. */
        GAUSS_CHEBYSHEV
    }

    /** How nodes and weights are paired. */
    public enum Pairing { MATCHED, ORIGINAL_MISMATCH }

    /** The n nodes of the family on [u, v], increasing (the mismatched pairing uses Lobatto nodes). */
    public static double[] nodes(double u, double v, int n, Family family, Pairing pairing) {
        boolean lobatto = family == Family.LOBATTO || pairing == Pairing.ORIGINAL_MISMATCH;
        double mid = 0.5 * (u + v);
        double half = 0.5 * (v - u);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            double angle = lobatto ? j * Math.PI / (n - 1) : (2 * j + 1) * Math.PI / (2.0 * n);
            x[j] = mid - half * StrictMath.cos(angle);
        }
        if (lobatto) {
            x[0] = u;
            x[n - 1] = v;
        }
        return x;
    }

    /** The barycentric weights paired with {@link #nodes}. */
    public static double[] weights(int n, Family family, Pairing pairing) {
        double[] w = new double[n];
        boolean firstKindWeights = family == Family.GAUSS_CHEBYSHEV || pairing == Pairing.ORIGINAL_MISMATCH;
        for (int j = 0; j < n; j++) {
            double sign = (j % 2 == 0) ? 1.0 : -1.0;
            if (firstKindWeights) {
                w[j] = sign * StrictMath.sin((2 * j + 1) * Math.PI / (2.0 * n));
            } else {
                w[j] = sign * (j == 0 || j == n - 1 ? 0.5 : 1.0);
            }
        }
        return w;
    }
}
