package org.neuralode4j.stability;

/**
 * Row-major n×n float64 matrices as flat arrays: the few Frobenius-space operations the two-level algorithm of
 * De Marinis, Guglielmi, Sicilia, Tudisco (2025) needs ({@code stability.md} §3.4–§3.5). Package-private helpers.
 */
final class SquareMatrices {
    private SquareMatrices() {}

    /** ⟨X, Y⟩_F. */
    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** ‖X‖_F. */
    static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** X + s·Y as a new array. */
    static double[] plusScaled(double[] x, double s, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + s * y[i];
        }
        return out;
    }

    /** s·X as a new array. */
    static double[] scaled(double s, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = s * x[i];
        }
        return out;
    }

    /** X/‖X‖_F as a new array. */
    static double[] normalised(double[] x) {
        return scaled(1.0 / norm(x), x);
    }

    /** The n×n identity scaled by c. */
    static double[] identity(int n, double c) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            out[i * n + i] = c;
        }
        return out;
    }

    /** Side length of a flat square matrix. */
    static int side(double[] a) {
        int n = (int) Math.round(Math.sqrt(a.length));
        if (n * n != a.length) {
            throw new IllegalArgumentException("not a square matrix: " + a.length + " entries");
        }
        return n;
    }

    static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
