package org.neuralode4j.cnf;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Shared fixtures of the CNF tests: closed-form fields, an independent matrix exponential, solvers. */
final class CnfFixtures {
    private CnfFixtures() {}

    /** dopri5 (Hairer's error weights) with the library's default control at rtol = atol = tol. */
    static SolverConfig dopri5(double tol) {
        return SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(tol, tol));
    }

    /** Classic RK4 with n equal steps. */
    static SolverConfig rk4(int n) {
        return SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(n));
    }

    /** The linear field f(z) = A z (row form z Aᵀ), A a trainable [D, D] parameter. */
    static FlowField linear(double[][] a) {
        Parameter p = new Parameter("a", Tensor.of(a));
        return FlowField.autonomous(List.of(p), z -> Ops.matmul(z, p.value(), false, true));
    }

    /** A one-block flow with the linear field. */
    static ContinuousFlow linearFlow(double[][] a, EndTime t) {
        return new ContinuousFlow(a.length, List.of(new CnfBlock(linear(a), t)), BaseDistribution.standardNormal());
    }

    /** A small ConcatSquash tanh flow D → widths… → D (PyTorch-default init from the seed). */
    static ContinuousFlow concatSquash(int d, List<Integer> hidden, EndTime t, long seed) {
        CnfSpec spec = new CnfSpec(d, hidden, Activation.TANH, TimeInput.CONCAT_SQUASH, 1, t, false);
        return ContinuousFlow.build(spec, Rng.seeded(seed));
    }

    /** e^M by scaling and squaring with a 20-term Taylor series: independent of any ODE solver. */
    static double[][] expm(double[][] m) {
        int n = m.length;
        double norm = 0;
        for (double[] row : m) {
            for (double v : row) {
                norm = Math.max(norm, Math.abs(v));
            }
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(norm * n + 1e-300) / Math.log(2)) + 1);
        double scale = Math.pow(2, -s);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = m[i][j] * scale;
            }
        }
        double[][] result = identity(n);
        double[][] term = identity(n);
        for (int k = 1; k <= 20; k++) {
            term = multiply(term, a);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    term[i][j] /= k;
                    result[i][j] += term[i][j];
                }
            }
        }
        for (int i = 0; i < s; i++) {
            result = multiply(result, result);
        }
        return result;
    }

    static double[][] identity(int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            r[i][i] = 1;
        }
        return r;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    static double[][] scaled(double[][] a, double s) {
        double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                r[i][j] = a[i][j] * s;
            }
        }
        return r;
    }

    static double[] apply(double[][] m, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += m[i][j] * x[j];
            }
        }
        return y;
    }

    static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    /** log N(y; 0, I). */
    static double logStdNormal(double[] y) {
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return -0.5 * y.length * Math.log(2 * Math.PI) - 0.5 * s;
    }

    static double[] row(Tensor x, int b) {
        int d = x.dim(1);
        double[] r = new double[d];
        for (int i = 0; i < d; i++) {
            r[i] = x.getFlat(b * d + i);
        }
        return r;
    }
}
