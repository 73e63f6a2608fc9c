package org.neuralode4j.testkit;

import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.List;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/** Closed-form ODE problems for solver tests (solvers.md §7). */
public final class Problems {
    private Problems() {}

    /** y' = A·y for a state [B, d]: f = y·Aᵀ. Row-independent and autonomous. */
    public static Dynamics linear(double[][] a) {
        Tensor at = Tensor.of(a);
        return new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                return List.of(matmul(y.get(0), at, false, true));
            }

            @Override
            public boolean rowIndependent() {
                return true;
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
    }

    /** Rotating damped system A = [[−α, −ω], [ω, −α]] with α = 0.1, ω = 1. */
    public static final double[][] ROTATING = {{-0.1, -1.0}, {1.0, -0.1}};

    /** Mildly stiff A = [[−1, 1], [0, −100]]. */
    public static final double[][] STIFF = {{-1.0, 1.0}, {0.0, -100.0}};

    /** e^{At}·(1, 0) for the rotating system. */
    public static double[] rotatingExact(double t) {
        double e = Math.exp(-0.1 * t);
        return new double[] {e * Math.cos(t), e * Math.sin(t)};
    }

    /** Exact solution of the stiff system from (1, 1). */
    public static double[] stiffExact(double t) {
        double e1 = Math.exp(-t);
        double e100 = Math.exp(-100 * t);
        return new double[] {e1 + (e1 - e100) / 99.0, e100};
    }

    /** Scalar decay y' = −λ_b·y_b, one λ per row of a [B, 1] state (row-independent, autonomous). */
    public static Dynamics decay(double... lambda) {
        double[] neg = new double[lambda.length];
        for (int i = 0; i < neg.length; i++) {
            neg[i] = -lambda[i];
        }
        Tensor l = Tensor.of(neg, lambda.length, 1);
        return new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                return List.of(mul(y.get(0), l));
            }

            @Override
            public boolean rowIndependent() {
                return true;
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
    }

    /**
     * Scalar decay with the rate carried in the state: components (y [B, 1], λ [B, 1]), f = (−λ·y, 0). Unlike
     * {@link #decay}, any subset of rows can be evaluated, as per-sample solves need. Leave λ out of the error
     * norm (it never changes).
     */
    public static Dynamics decayInState() {
        return new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                return List.of(neg(mul(y.get(0), y.get(1))), mul(y.get(1), 0.0));
            }

            @Override
            public boolean rowIndependent() {
                return true;
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
    }

    /** The initial state (y0, λ) for {@link #decayInState()}. */
    public static List<Tensor> decayState(double[] y0, double[] lambda) {
        return List.of(Tensor.of(y0, y0.length, 1), Tensor.of(lambda, lambda.length, 1));
    }

    /** The forced pendulum y1' = y2, y2' = −sin y1 + 0.5·cos 2t on a [1, 2] state (non-autonomous, nonlinear). */
    public static Dynamics forcedPendulum() {
        return new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                Tensor y1 = slice(y.get(0), 1, 0, 1);
                Tensor y2 = slice(y.get(0), 1, 1, 2);
                // −sin(y1) via a series would be long; sin through exp is not available, so use tanh-free identity:
                Tensor s = sinApprox(y1);
                Tensor d2 = add(neg(s), 0.5 * Math.cos(2 * t));
                return List.of(concat(List.of(y2, d2), 1));
            }
        };
    }

    /** sin(x) to double precision for |x| ≤ 4 via a Taylor series in x (recorded ops). */
    static Tensor sinApprox(Tensor x) {
        Tensor x2 = square(x);
        Tensor term = x;
        Tensor sum = x;
        for (int n = 1; n <= 14; n++) {
            term = mul(mul(term, x2), -1.0 / ((2.0 * n) * (2.0 * n + 1)));
            sum = add(sum, term);
        }
        return sum;
    }
}
