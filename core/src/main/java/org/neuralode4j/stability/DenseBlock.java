package org.neuralode4j.stability;

/**
 * The dense ODE block ẋ = σ(Ax + b) in float64, De Marinis, Guglielmi, Sicilia, Tudisco (2025),
 * {@code stability.md} §2.1: its Jacobian at x is D(x)A with D(x) = diag(σ'(Ax + b)). Only A is perturbed (§2.2).
 *
 * @param n          state dimension
 * @param a          A, row-major n×n
 * @param b          b, length n
 * @param activation σ
 */
public record DenseBlock(int n, double[] a, double[] b, FieldActivation activation) {
    public DenseBlock {
        if (n < 1 || a.length != n * n || b.length != n) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "dense block: A must be " + n + "x" + n
                    + " and b of length " + n + ", got " + a.length + " and " + b.length + " entries");
        }
        if (!SquareMatrices.allFinite(a) || !SquareMatrices.allFinite(b)) {
            throw new StabilityException(StabilityException.Kind.NON_FINITE,
                    "dense block: A or b holds NaN or Inf; the model is diverged, retrain it");
        }
        a = a.clone();
        b = b.clone();
    }

    /** The same block with A replaced. */
    public DenseBlock withA(double[] newA) {
        return new DenseBlock(n, newA, b, activation);
    }

    @Override
    public double[] a() {
        return a.clone();
    }

    @Override
    public double[] b() {
        return b.clone();
    }

    /** The diagonal of D(x) = diag(σ'(Ax + b)). */
    public double[] jacobianScale(double[] x) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double u = b[i];
            for (int j = 0; j < n; j++) {
                u += a[i * n + j] * x[j];
            }
            d[i] = activation.derivative(u);
        }
        return d;
    }

    /** μ₂(A) itself: the log norm with D = I (§4.3 "μ₂(A) before and after"). */
    public double mu2OfA() {
        return LogNorms.mu2(a);
    }
}
