package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.MlpField;

/** {@link Jacobians#exact} against closed forms and finite differences (evaluation.md §1.2). */
class JacobiansTest {

    @Test
    void linearFieldJacobianIsAForEverySample() {
        double[][] a = {{0.3, -1.2, 2.0}, {4.5, 0.0, -0.7}, {1.1, 2.2, -3.3}};
        Tensor aT = Tensor.of(a);
        // f = z Aᵀ, so row b of f is A z_b and J_b = A whatever z_b is.
        Dynamics f = Dynamics.of((t, z) -> Ops.matmul(z, aT, false, true), true);
        Tensor z = Rng.seeded(7).normal(0.0, 1.0, 5, 3);
        double[][][] jac = Jacobians.exact(f, 0.25, z);
        assertEquals(5, jac.length);
        for (double[][] jb : jac) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(a[i][j], jb[i][j], 1e-14);
                }
            }
        }
    }

    @Test
    void tanhMlpMatchesCentralDifferences() {
        int d = 4;
        MlpField f = new MlpField(MlpField.randomParams(d, 8, 11, 0.8), 0.5);
        Tensor z = Rng.seeded(3).normal(0.0, 1.0, 3, d);
        double[][][] jac = Jacobians.exact(f, 0.0, z);
        double[][] zs = z.toArray2d();
        double h = 1e-5;
        try (var s = GradMode.noGrad()) {
            for (int b = 0; b < zs.length; b++) {
                for (int j = 0; j < d; j++) {
                    double[] fp = eval(f, zs[b], j, h);
                    double[] fm = eval(f, zs[b], j, -h);
                    for (int i = 0; i < d; i++) {
                        assertEquals((fp[i] - fm[i]) / (2 * h), jac[b][i][j], 1e-7, "b=" + b + " i=" + i + " j=" + j);
                    }
                }
            }
        }
    }

    @Test
    void worksUnderNoGradAndLeavesModeUnchanged() {
        Tensor aT = Tensor.of(new double[][] {{2, 0}, {0, 3}});
        Dynamics f = Dynamics.of((t, z) -> Ops.matmul(z, aT, false, true), true);
        try (var s = GradMode.noGrad()) {
            double[][][] jac = Jacobians.exact(f, 0, Tensor.of(new double[][] {{1, 1}}));
            assertEquals(3.0, jac[0][1][1], 0);
            assertFalse(GradMode.isEnabled());
        }
    }

    @Test
    void constantFieldHasZeroJacobian() {
        Dynamics f = Dynamics.of((t, z) -> Tensor.ones(z.dim(0), z.dim(1)), true);
        double[][][] jac = Jacobians.exact(f, 0, Tensor.zeros(2, 2));
        for (double[][] jb : jac) {
            for (double[] row : jb) {
                assertArrayEquals(new double[] {0, 0}, row, 0);
            }
        }
    }

    @Test
    void rejectsFieldsNotDeclaredRowIndependent() {
        Dynamics f = Dynamics.of((t, z) -> z, false);
        assertThrows(IllegalArgumentException.class, () -> Jacobians.exact(f, 0, Tensor.zeros(2, 2)));
    }

    private static double[] eval(Dynamics f, double[] z, int j, double dz) {
        double[] zz = z.clone();
        zz[j] += dz;
        return f.apply(0.0, List.of(Tensor.of(zz, 1, zz.length))).get(0).toArray();
    }
}
