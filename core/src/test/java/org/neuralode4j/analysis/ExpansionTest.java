package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.neuralode4j.models.ModuleField;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.tableau.Rk4;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * evaluation.md §1.5 on the linear field ż = Az with symmetric A: μ₂ = λ_max at every state, the bound is e^{λ_max},
 * the local expansion of 10 RK4 steps is ‖exp(A)‖₂ = e^{λ_max} to RK4's accuracy, and every empirical ratio is ≤ it.
 */
class ExpansionTest {

    @Test
    void linearSymmetricField() {
        double[] a = {0.5, 0.2, 0.2, -1.0};
        Linear layer = new Linear(2, 2, false, Rng.seeded(0));
        layer.weight().set(Tensor.of(a, 2, 2));
        SolverConfig rk4 = SolverConfig.fixed(Rk4.TABLEAU, FixedSteps.ofCount(10));
        Tensor z0 = Rng.seeded(1).normal(0.0, 1.0, 6, 2);
        ExpansionStats s = Expansion.along(new ModuleField(layer), z0, 0, 1, 11, rk4, 0.1, 3);
        double top = -0.25 + Math.sqrt(0.5625 + 0.04);
        assertEquals(66, s.mu2().length);
        for (double m : s.mu2()) {
            assertEquals(top, m, 1e-12);
        }
        for (int b = 0; b < 6; b++) {
            assertEquals(Math.exp(top), s.bound()[b], 1e-12);
            assertEquals(Math.exp(top), s.local()[b], 1e-5);
            assertTrue(s.ratio()[b] <= s.local()[b] * (1 + 1e-12));
            assertTrue(s.ratio()[b] >= Math.exp(-1.0) * 0.99, "at least the contraction of the smallest eigenvalue");
        }
        assertEquals(1.0, s.mu2FractionAbove(0), 0);
        assertEquals(0.0, s.mu2FractionAbove(top + 1e-9), 0);
        assertEquals(top, s.mu2Summary().median(), 1e-12);
    }
}
