package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/**
 * solvers.md §3.4 and §7.5: the torchdiffeq-compatible dopri5 preset reproduces torchdiffeq 0.2.5's step
 * sequence, so its NFE equals the count derived by hand from torchdiffeq's rules and the golden counts measured
 * with torchdiffeq in float64.
 */
class TorchdiffeqPresetTest {
    private static SolverConfig preset(double tol) {
        return SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(tol, tol));
    }

    /**
     * Hand derivation (spec §3.4): f = 1, y0 = 0 on [0, 1], rtol = atol = 1e-3.
     * k1 = f(0, y0) = 1 (NFE 1). Initial step: scale = 1e-3; d0 = ‖y0/scale‖ = 0 < 1e-5, so h0 = 1e-6;
     * one Euler probe f(h0, y0 + h0) = 1 (NFE 2); d1 = 1000, d2 = 0, h1 = (0.01/1000)^(1/5) = 0.1;
     * h = min(100·h0, h1) = 1e-4. Every stage of every step is 1 and the torchdiffeq error weights sum to 0, so
     * r = 0 (or rounding noise far below 0.9⁵): every step is accepted and grows ×10: 1e-4, 1e-3, 1e-2, 0.1, 1,
     * ending at t = 1.1111 ≥ 1 after 5 attempts of 6 evaluations: NFE = 2 + 6·5 = 32, and y(1) = 1 because the
     * quartic interpolant reproduces linear functions.
     */
    @Test
    void handExampleConstantField() {
        Dynamics one = Dynamics.of((t, y) -> Ops.add(Ops.mul(y, 0.0), 1.0), true);
        Solution sol = Ode.solve(one, Tensor.zeros(1, 1), 0, 1, preset(1e-3));
        assertEquals(32, sol.stats().nfe());
        assertEquals(5, sol.stats().accepted());
        assertEquals(0, sol.stats().rejected());
        assertEquals(1e-4, sol.stats().firstStep(), 1e-18);
        assertEquals(1.0, sol.last(0).item(), 1e-12);
    }

    /**
     * Second hand example: f = 0. d1 = d2 = 0, so h0 = 1e-6 and h1 = max(1e-6, 1e-3·h0) = 1e-6, h = 1e-6; r = 0
     * every step, ×10 each: 1e-6 … 1 takes seven steps to pass t = 1: NFE = 2 + 6·7 = 44.
     */
    @Test
    void handExampleZeroField() {
        Dynamics zero = Dynamics.of((t, y) -> Ops.mul(y, 0.0), true);
        for (double y0 : new double[] {0.0, 1.0}) {
            Solution sol = Ode.solve(zero, Tensor.full(y0, 1, 1), 0, 1, preset(1e-3));
            assertEquals(44, sol.stats().nfe(), "y0 = " + y0);
            assertEquals(y0, sol.last(0).item(), 0.0);
        }
    }

    /** The golden counts of spec §3.4, measured with torchdiffeq 0.2.5 in float64. */
    @Test
    void goldenCountsFromTorchdiffeq() {
        double[][] expect = {{1e-3, 14, 2, 0}, {1e-5, 26, 4, 0}, {1e-7, 44, 7, 0}};
        for (double[] e : expect) {
            Solution sol = Ode.solve(Problems.decay(1.0), Tensor.ones(1, 1), 0, 1, preset(e[0]));
            assertEquals((long) e[1], sol.stats().nfe(), "decay at tol " + e[0]);
            assertEquals((int) e[2], sol.stats().accepted());
            assertEquals((int) e[3], sol.stats().rejected());
        }
        Solution outs = Ode.solve(Problems.decay(1.0), List.of(Tensor.ones(1, 1)), new double[] {0, .25, .5, .75, 1}, preset(1e-5));
        assertEquals(26, outs.stats().nfe(), "interior outputs never change the steps");
        assertEquals(Math.exp(-0.5), outs.state(2).get(0).item(), 1e-4);

        Solution rot = Ode.solve(Problems.linear(Problems.ROTATING), Tensor.of(new double[] {1, 0}, 1, 2), 0, 10, preset(1e-6));
        assertEquals(200, rot.stats().nfe());
        assertEquals(33, rot.stats().accepted());

        int[][] stiff = {{1154, 154, 38}, {1232, 168, 37}};
        double[] tols = {1e-3, 1e-6};
        for (int i = 0; i < 2; i++) {
            Solution s = Ode.solve(Problems.linear(Problems.STIFF), Tensor.of(new double[] {1, 1}, 1, 2), 0, 5, preset(tols[i]));
            assertEquals(stiff[i][0], s.stats().nfe(), "stiff at " + tols[i]);
            assertEquals(stiff[i][1], s.stats().accepted());
            assertEquals(stiff[i][2], s.stats().rejected());
        }

        Solution two = Ode.solve(Problems.decay(1.0, 50.0), Tensor.ones(2, 1), 0, 1, preset(1e-6));
        assertEquals(212, two.stats().nfe());
        assertEquals(32, two.stats().accepted());
        assertEquals(3, two.stats().rejected());
    }

    @Test
    void nfeFormulaHolds() {
        Solution s = Ode.solve(Problems.linear(Problems.STIFF), Tensor.of(new double[] {1, 1}, 1, 2), 0, 5, preset(1e-4));
        assertEquals(2 + 6L * (s.stats().accepted() + s.stats().rejected()), s.stats().nfe());
    }
}
