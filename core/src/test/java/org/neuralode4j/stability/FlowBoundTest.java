package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.junit.jupiter.api.Test;

/** stability.md §6 T-3: the flow bound ‖x(T) − y(T)‖ ≤ e^{μ₂ T}‖x(0) − y(0)‖ for ẋ = Ax, DOPRI5 at 1e-10. */
class FlowBoundTest {
    private static final double[] A = {0.5, 0.2, 0.2, -1.0};

    private static double[] flow(double[] x0) {
        DormandPrince54Integrator dp = new DormandPrince54Integrator(1e-12, 1, 1e-10, 1e-10);
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return 2;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                return new double[] {A[0] * y[0] + A[1] * y[1], A[2] * y[0] + A[3] * y[1]};
            }
        };
        return dp.integrate(ode, new ODEState(0, x0), 1).getPrimaryState();
    }

    private static double ratio(double[] x0, double[] y0) {
        double[] x = flow(x0);
        double[] y = flow(y0);
        return Math.hypot(x[0] - y[0], x[1] - y[1]) / Math.hypot(x0[0] - y0[0], x0[1] - y0[1]);
    }

    @Test
    void t3RatioAttainsTheBoundAlongTheTopEigenvector() {
        double mu = LogNorms.mu2(A);
        assertEquals(0.5262087, mu, 1e-7);
        double[] v = LogNorms.topEigenpair(LogNorms.sym(A)).vector();
        double[] y0 = {0.3, -0.7};
        double bound = Math.exp(mu);
        assertEquals(1.6925034, bound, 1e-7);
        assertEquals(bound, ratio(new double[] {y0[0] + 0.01 * v[0], y0[1] + 0.01 * v[1]}, y0), 1e-7);
        Random r = new Random(3);
        for (int i = 0; i < 100; i++) {
            double[] x0 = {r.nextGaussian(), r.nextGaussian()};
            double[] z0 = {r.nextGaussian(), r.nextGaussian()};
            assertTrue(ratio(x0, z0) <= bound + 1e-7);
        }
    }
}
