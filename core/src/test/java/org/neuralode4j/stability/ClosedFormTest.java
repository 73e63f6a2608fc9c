package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** stability.md §6 T-5: the closed forms of §3.2 (D_k = d_k I) for the outer level. */
class ClosedFormTest {

    private static OuterResult solve(double[] a, double[][] scales, double delta, Functional form) {
        int n = SquareMatrices.side(a);
        return new OuterLevel(Instances.tight(delta).withFunctional(form)).solve(a,
                ConstraintStates.ofScales(n, scales));
    }

    /** ε* = (Σ_i (λ_i(Sym A) − δ_eff)₊²)^{1/2}. */
    private static double closedForm(double[] a, double deltaEff) {
        double s = 0;
        for (double l : Instances.symEigenvalues(LogNorms.sym(a))) {
            s += Math.pow(Math.max(0, l - deltaEff), 2);
        }
        return Math.sqrt(s);
    }

    @Test
    void t5aTwoByTwoAndTheExactFirstGuess() {
        double[] a = {1, 2, 0, -1};
        double[][] d = {{1, 1}};
        double root2 = Math.sqrt(2);
        double[] expected = {-1.2071068, -0.5, -0.5, -0.2071068};
        ViolationFunctional f = new ViolationFunctional(a, ConstraintStates.ofScales(2, d), 0, Functional.ALL, 1,
                false);
        Evaluation e0 = f.evaluate(new double[4]);
        assertEquals(root2, 2 * e0.value() / e0.gradientNorm(), 1e-12, "ε₀ = ε*");
        double[] e = SquareMatrices.scaled(-1 / e0.gradientNorm(), e0.gradient());
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i] / root2, e[i], 1e-7, "E₀ = Δ*/ε*");
        }
        double[] q = SquareMatrices.normalised(new double[] {1, root2 - 1, 0, 0});
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(-q[i] * q[j], e[i * 2 + j], 1e-12, "E₀ = −q qᵀ");
            }
        }
        OuterResult r = solve(a, d, 0, Functional.ALL);
        assertEquals(OuterStatus.CONVERGED, r.status());
        assertEquals(root2, r.eps(), 1e-6 * root2);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], r.perturbation()[i], 1e-5);
        }
        assertTrue(r.recheck().violation() <= 1e-9);
    }

    @Test
    void t5bCoalescenceAllExactTopFeasible() {
        double[] a = {3, 0, 0, 0, 2, 0, 0, 0, -1};
        double[][] d = {{1, 1, 1}};
        double star = Math.sqrt(13);
        OuterResult all = solve(a, d, 0, Functional.ALL);
        assertEquals(star, all.eps(), 1e-6 * star);
        double[] expected = {-3, 0, 0, 0, -2, 0, 0, 0, 0};
        for (int i = 0; i < 9; i++) {
            assertEquals(expected[i], all.perturbation()[i], 1e-5);
        }
        OuterResult top = solve(a, d, 0, Functional.TOP);
        assertTrue(top.recheck().violation() <= 1e-9, "TOP feasible");
        assertTrue(top.eps() >= star * (1 - 1e-6));
        System.out.printf("T-5b: TOP's excess over eps* = %.3e (relative)%n", top.eps() / star - 1);
    }

    @Test
    void t5cRandomFourByFourWithScaledIdentities() {
        Random r = new Random(5);
        double[] a = Instances.gaussian(r, 4, 1);
        double[][] d = {{0.25, 0.25, 0.25, 0.25}, {0.5, 0.5, 0.5, 0.5}, {1, 1, 1, 1}};
        double[][] cases = {{0.3, 0.3}, {-0.2, -0.8}};
        for (double[] c : cases) {
            double star = closedForm(a, c[1]);
            assertTrue(star > 0.1, "the instance must need a perturbation");
            OuterResult res = solve(a, d, c[0], Functional.ALL);
            assertEquals(star, res.eps(), 2e-6 * star, "delta " + c[0]);
        }
    }

    @Test
    void t5dScalarCase() {
        assertEquals(-1.5, solve(new double[] {2}, new double[][] {{0.5}}, 0.25, Functional.ALL).perturbation()[0], 1e-5);
        double[][] d = {{0.2}, {0.5}, {1}};
        assertEquals(-0.9, solve(new double[] {1}, d, 0.1, Functional.ALL).perturbation()[0], 1e-5);
        assertEquals(-1.5, solve(new double[] {1}, d, -0.1, Functional.ALL).perturbation()[0], 1e-5);
        assertEquals(-1.5, solve(new double[] {1}, d, -0.1, Functional.TOP).perturbation()[0], 1e-5);
    }
}
