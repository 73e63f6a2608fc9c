package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * stability.md §6 T-4 for F (ALL and TOP) and G = Σ D_k Π_k by central differences, plus §3.7's determinism across
 * thread counts and the Cholesky certification leaving F and G unchanged.
 */
class ViolationFunctionalTest {

    /**
     * The active set's selection (§3.7) against the eigenvalue oracle: the states whose λ_max(S_k) reaches the level,
     * at levels between the draws' top eigenvalues (a third, a half, two thirds of the states reach them).
     */
    @Test
    void statesReachingALevelAreThoseWhoseTopEigenvalueDoes() {
        Random r = new Random(7);
        int n = 5;
        for (int trial = 0; trial < 6; trial++) {
            double[] a = Instances.gaussian(r, n, 1);
            ConstraintStates states = Instances.uniformScales(r, n, 30, 0.05, 1);
            double[] x = Instances.gaussian(r, n, 0.2);
            double[] m = SquareMatrices.plusScaled(a, 1.0, x);
            double[] top = new double[states.size()];
            for (int k = 0; k < states.size(); k++) {
                double[] d = states.scaleOf(k);
                double[] sym = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        sym[i * n + j] = 0.5 * (d[i] * m[i * n + j] + d[j] * m[j * n + i]);
                    }
                }
                double[] ev = Instances.symEigenvalues(sym);
                top[k] = ev[n - 1];
            }
            double[] sorted = top.clone();
            java.util.Arrays.sort(sorted);
            int cut = states.size() * (1 + trial % 3) / 4;
            double level = 0.5 * (sorted[cut - 1] + sorted[cut]);
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            for (int k = 0; k < states.size(); k++) {
                assertTrue(Math.abs(top[k] - level) > 1e-9, "draw too close to the level to decide");
                if (top[k] >= level) {
                    expected.add(k);
                }
            }
            assertEquals(states.size() - cut, expected.size());
            ViolationFunctional f = new ViolationFunctional(a, states, 0.0, Functional.ALL, 1, true);
            assertEquals(expected, java.util.Arrays.stream(f.statesReaching(x, level)).boxed().toList(),
                    "trial " + trial + " level " + level);
        }
    }

    @Test
    void t4GradientOfBothFunctionalsByCentralDifferences() {
        Random r = new Random(44);
        int n = 6;
        int checked = 0;
        for (int trial = 0; trial < 12; trial++) {
            double[] a = Instances.gaussian(r, n, 1);
            ConstraintStates states = Instances.uniformScales(r, n, 4, 0.05, 1);
            if (minGap(a, states) < 1e-3) {
                continue;
            }
            double delta = 0.1;
            double[] x = Instances.gaussian(r, n, 0.1);
            double[] p = Instances.gaussian(r, n, 1);
            for (Functional form : Functional.values()) {
                ViolationFunctional f = new ViolationFunctional(a, states, delta, form, 1, false);
                double analytic = SquareMatrices.dot(f.evaluate(x).gradient(), p);
                double s = 1e-6;
                double fd = (f.evaluate(SquareMatrices.plusScaled(x, s, p)).value()
                        - f.evaluate(SquareMatrices.plusScaled(x, -s, p)).value()) / (2 * s);
                assertEquals(analytic, fd, 1e-6 * Math.max(1, Math.abs(analytic)), form + " trial " + trial);
            }
            checked++;
        }
        assertTrue(checked >= 6, "too many skipped draws: " + checked);
    }

    /** Smallest gap between adjacent eigenvalues of any Sym(D_k A) (TOP needs a simple top, ALL distinct ones). */
    private static double minGap(double[] a, ConstraintStates s) {
        double gap = Double.POSITIVE_INFINITY;
        for (int k = 0; k < s.size(); k++) {
            double[] ev = Instances.symEigenvalues(LogNorms.sym(LogNormsTest.scale(s.scale(k), a)));
            for (int i = 1; i < ev.length; i++) {
                gap = Math.min(gap, ev[i] - ev[i - 1]);
            }
        }
        return gap;
    }

    @Test
    void valueMatchesTheDefinitionOnOneState() {
        double[] a = {1, 2, 0, -1};
        ConstraintStates s = ConstraintStates.ofScales(2, new double[][] {{1, 1}});
        Evaluation e = new ViolationFunctional(a, s, 0, Functional.ALL, 1, false).evaluate(new double[4]);
        assertEquals(1.0, e.value(), 1e-14, "½(√2)²");
        assertEquals(Math.sqrt(2), e.gradientNorm(), 1e-14);
        assertEquals(Math.sqrt(2), e.violation(), 1e-14);
    }

    @Test
    void resultsAreBitwiseIdenticalForAnyThreadCountAndCertificationKeepsFAndG() {
        Random r = new Random(7);
        int n = 8;
        // contractive on average, so that some states are certified and others violated
        double[] a = SquareMatrices.plusScaled(Instances.gaussian(r, n, 0.1), 1, SquareMatrices.identity(n, -0.3));
        a[0] = 1; // unit 0 expands: states with a large (D_k)_00 are violated, those with a small one certified
        ConstraintStates states = Instances.uniformScales(r, n, 300, 0.05, 1);
        double[] x = Instances.gaussian(r, n, 0.05);
        Evaluation one = new ViolationFunctional(a, states, 0.3, Functional.ALL, 1, false).evaluate(x);
        Evaluation two = new ViolationFunctional(a, states, 0.3, Functional.ALL, 2, false).evaluate(x);
        assertEquals(one.value(), two.value(), 0);
        assertArrayEquals(one.gradient(), two.gradient(), 0);
        ViolationFunctional cert = new ViolationFunctional(a, states, 0.3, Functional.ALL, 1, true);
        Evaluation c = cert.evaluate(x);
        assertTrue(cert.certified() > 0 && one.violation() > 0,
                "some states certified, some violated: " + cert.certified() + ", " + one.violation());
        assertEquals(cert.certified() + cert.decompositions(), states.size());
        assertEquals(one.value(), c.value(), 0);
        assertArrayEquals(one.gradient(), c.gradient(), 0);
        assertEquals(one.violation(), c.violation(), 0, "a violated state is always decomposed");
        // the certificate is exact: certified states are exactly those with λ_max < δ
        int below = 0;
        for (double v : TopEigenvalues.of(SquareMatrices.plusScaled(a, 1, x), states).values()) {
            below += v < 0.3 ? 1 : 0;
        }
        assertEquals(below, cert.certified());
    }
}
