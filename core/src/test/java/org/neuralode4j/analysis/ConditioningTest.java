package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Per-matrix quantities (evaluation.md §1.3) and {@link Conditioning#along} (§1.1–§1.4). */
class ConditioningTest {

    @Test
    void diagonalMatrix() {
        double[][] j = {{1, 0}, {0, 10}};
        assertEquals(10.0, Conditioning.kappa(j), 1e-13);
        assertEquals(10.0, Conditioning.mu2(j), 1e-13);
        assertEquals(Math.sqrt(101), Conditioning.frobenius(j), 1e-13);
        assertArrayEquals(new double[] {10, 1}, Conditioning.singularValues(j), 1e-13);
    }

    @Test
    void rotationLikeMatrix() {
        // J = −I + 2·skew: Sym J = −I so μ₂ = −1, and JᵀJ = 5I so both singular values are √5 and κ = 1.
        double[][] j = {{-1, -2}, {2, -1}};
        assertEquals(-1.0, Conditioning.mu2(j), 1e-13);
        assertEquals(1.0, Conditioning.kappa(j), 1e-13);
        assertArrayEquals(new double[] {Math.sqrt(5), Math.sqrt(5)}, Conditioning.singularValues(j), 1e-13);
    }

    @Test
    void nonNormalMatrixMu2ExceedsLargestEigenvalue() {
        // Eigenvalues are −1, −1 but Sym J = [[−1, 1.5], [1.5, −1]] has λ_max = 0.5: μ₂ sees transient growth.
        assertEquals(0.5, Conditioning.mu2(new double[][] {{-1, 3}, {0, -1}}), 1e-13);
    }

    @Test
    void singularMatrixHasInfiniteKappa() {
        assertEquals(Double.POSITIVE_INFINITY, Conditioning.kappa(new double[][] {{1, 0}, {0, 0}}));
        assertEquals(Double.POSITIVE_INFINITY, Conditioning.kappa(new double[][] {{0, 0}, {0, 0}}));
    }

    @Test
    void gridIsInclusiveAndEquallySpaced() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Conditioning.grid(0, 1, 5), 0);
        assertEquals(11, Conditioning.grid(0, 1, 11).length);
        assertEquals(1.0, Conditioning.grid(0, 1, 11)[10], 0);
    }

    @Test
    void alongLinearFieldGivesTheSameKappaEverywhere() {
        double[][] a = {{-1, 0.5}, {0, -3}};
        Tensor aT = Tensor.of(a);
        Dynamics f = Dynamics.of((t, z) -> Ops.matmul(z, aT, false, true), true);
        double expectedKappa = Conditioning.kappa(a);
        double expectedMu = Conditioning.mu2(a);
        Tensor z0 = Rng.seeded(5).normal(0.0, 1.0, 4, 2);
        for (SolverConfig cfg : new SolverConfig[] {
                SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-6, 1e-8)),
                SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofSize(0.05))}) {
            ConditioningStats s = Conditioning.along(f, z0, 0, 1, 11, cfg);
            assertEquals(44, s.count());
            for (double k : s.kappa()) {
                assertEquals(expectedKappa, k, 1e-12 * expectedKappa);
            }
            assertEquals(expectedKappa, s.kappaMedian(), 1e-12 * expectedKappa);
            assertEquals(expectedKappa, s.kappaMax(), 1e-12 * expectedKappa);
            assertEquals(Math.log10(expectedKappa), s.log10KappaMean(), 1e-12);
            assertEquals(expectedMu, s.mu2Max(), 1e-12);
            assertEquals(Conditioning.frobenius(a), s.frobeniusMean(), 1e-12);
            assertEquals(0, s.nonFiniteKappa());
        }
    }

    @Test
    void alongRejectsBadGrid() {
        Dynamics f = Dynamics.of((t, z) -> z, true);
        assertThrows(IllegalArgumentException.class, () -> Conditioning.along(f, Tensor.zeros(1, 2), 0, 1, 1,
                SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofSize(0.1))));
    }
}
