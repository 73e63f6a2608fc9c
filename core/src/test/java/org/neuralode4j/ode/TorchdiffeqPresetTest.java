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

    /**
     * Against an independent transcription of torchdiffeq's dopri5 stepping (numpy, in
     * {@code src/test/resources/oracle/torchdiffeq_dopri5_oracle.py}): a 3 → 32 → 32 → 3 tanh field with sharp
     * transitions, whose weights are closed-form expressions, solved forwards over [0, 1] and backwards from
     * t = 1 to 0, both with rejected steps. The oracle's accepted steps (start, size) and counts are pasted
     * below; every decision is far from the accept threshold (ratios 0.49 or below, 1.10 or above), so rounding
     * differences between numpy and Java cannot flip one.
     */
    @Test
    void matchesATranscriptionOfTorchdiffeqWithRejections() {
        int h = 32;
        double[] w1 = new double[h * 3];
        double[] b1 = new double[h];
        double[] w2 = new double[h * h];
        double[] b2 = new double[h];
        double[] w3 = new double[3 * h];
        for (int j = 0; j < h; j++) {
            for (int p = 0; p < 3; p++) {
                w1[j * 3 + p] = 12.0 * Math.sin(1 + 7 * j + 3 * p);
            }
            b1[j] = 0.5 * Math.cos(2 + j);
            for (int k = 0; k < h; k++) {
                w2[j * h + k] = 4.0 / Math.sqrt(h) * Math.sin(0.3 + 5 * j + 11 * k);
            }
            b2[j] = 0.3 * Math.sin(4 + 3 * j);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < h; j++) {
                w3[i * h + j] = 12.0 / Math.sqrt(h) * Math.cos(0.7 + 13 * i + 2 * j);
            }
        }
        Tensor tw1 = Tensor.of(w1, h, 3);
        Tensor tb1 = Tensor.of(b1, h);
        Tensor tw2 = Tensor.of(w2, h, h);
        Tensor tb2 = Tensor.of(b2, h);
        Tensor tw3 = Tensor.of(w3, 3, h);
        Tensor tb3 = Tensor.vector(0.1, -0.2, 0.05);
        Dynamics field = Dynamics.of((t, z) -> Ops.linear(Ops.tanh(Ops.linear(Ops.tanh(Ops.linear(z, tw1, tb1)), tw2, tb2)),
                tw3, tb3), true);
        int n = 48;
        double[] start = new double[n * 3];
        double[] back = new double[n * 3];
        for (int i = 0; i < n; i++) {
            start[i * 3] = Math.cos(i);
            start[i * 3 + 1] = 0.8 * Math.sin(2 * i);
            for (int c = 0; c < 3; c++) {
                back[i * 3 + c] = 0.02 * start[i * 3 + c] + 0.1;
            }
        }
        Solution fwd = Ode.solve(field, Tensor.of(start, n, 3), 0, 1, preset(1e-3));
        assertEquals(44, fwd.stats().nfe());
        assertEquals(2, fwd.stats().rejected());
        assertSteps(new double[][] {
            {0, 0.079993118733365551}, {0.079993118733365551, 0.22899638393095312},
            {0.30898950266431868, 0.30592132555489099}, {0.61491082821920973, 0.38268021853437295},
            {0.99759104675358268, 0.36729533682962467}}, fwd.stepSequence());

        Solution bwd = Ode.solve(field, Tensor.of(back, n, 3), 1, 0, preset(1e-3));
        assertEquals(44, bwd.stats().nfe());
        assertEquals(1, bwd.stats().rejected());
        assertSteps(new double[][] {
            {1, -0.069467685032923443}, {0.93053231496707656, -0.14202438347348109},
            {0.78850793149359544, -0.14743318400842073}, {0.64107474748517468, -0.182121296704327},
            {0.4589534507808477, -0.23866257758253437}, {0.22029087319831334, -0.3208305337914466}}, bwd.stepSequence());
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, "accepted steps");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], actual[i][0], 1e-10, "start of step " + i);
            assertEquals(expected[i][1], actual[i][1], 1e-10, "size of step " + i);
        }
    }
}
