package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The low-rank option of stability.md §3.8 (De Marinis, Guglielmi, Sicilia, Tudisco 2025): rank 1 reproduces the
 * full-rank result where Δ* has rank 1; rank r &lt; n returns a rank-≤ r Δ that is feasible on independent
 * re-evaluation; the truncated flow keeps ‖E‖_F = 1, rank ≤ r and strict decrease; an unreachable rank fails with
 * INFEASIBLE instead of returning the full-rank fallback.
 */
class LowRankTest {

    /** Singular values, descending. */
    private static double[] singularValues(double[] x) {
        int n = SquareMatrices.side(x);
        var svd = DecompositionFactory_DDRM.svd(n, n, false, false, true);
        assertTrue(svd.decompose(new DMatrixRMaj(n, n, true, x.clone())));
        double[] s = svd.getSingularValues().clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return Arrays.copyOf(s, n);
    }

    /** Numerical rank: singular values above 1e-9·σ₁. */
    private static int rank(double[] x) {
        double[] s = singularValues(x);
        int r = 0;
        for (double v : s) {
            if (v > 1e-9 * s[0]) {
                r++;
            }
        }
        return r;
    }

    /** max_k λ_max(Sym(D_k(A + Δ))) by an independent eigensolve. */
    private static double maxMu2(double[] a, double[] delta, ConstraintStates states) {
        int n = states.n();
        double[] m = SquareMatrices.plusScaled(a, 1, delta);
        double worst = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < states.size(); k++) {
            double[] w = Instances.symEigenvalues(symOf(m, states.scaleOf(k)));
            worst = Math.max(worst, w[n - 1]);
        }
        return worst;
    }

    /** A = diag(top) + 0.1·noise, a few positive diagonal entries and the rest well below 0. */
    private static double[] shifted(Random r, double[] diagonal) {
        int n = diagonal.length;
        double[] a = Instances.gaussian(r, n, 0.1);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += diagonal[i];
        }
        return a;
    }

    @Test
    void truncationIsTheBestRankRApproximation() {
        double[] x = Instances.gaussian(new Random(3), 5, 1);
        double[] s = singularValues(x);
        double[] t = new LowRankTruncation(2, 5, 5).approximation(x);
        assertEquals(2, rank(t));
        // Eckart–Young: ‖X − X_r‖_F² = Σ_{i>r} σ_i², and X_r keeps σ₁, σ₂
        double tail = s[2] * s[2] + s[3] * s[3] + s[4] * s[4];
        double err = SquareMatrices.norm(SquareMatrices.plusScaled(x, -1, t));
        assertEquals(Math.sqrt(tail), err, 1e-12);
        double[] st = singularValues(t);
        assertEquals(s[0], st[0], 1e-12);
        assertEquals(s[1], st[1], 1e-12);
        assertArrayEquals(x, new LowRankTruncation(0, 5, 5).approximation(x), 0);
        assertArrayEquals(x, new LowRankTruncation(5, 5, 5).approximation(x), 0);
        assertEquals(1.0, SquareMatrices.norm(new LowRankTruncation(1, 5, 5).unitApproximation(x)), 1e-14);
    }

    @Test
    void rankOneMatchesFullRankWithOneViolatedEigenvalue() {
        // one state, D with entries in (0.5, 1), one eigenvalue of Sym(DA) above δ = 0: Δ* has rank 1 (§3.8)
        Random r = new Random(11);
        int n = 5;
        double[] a = shifted(r, new double[] {1.5, -1.5, -2, -2.5, -3});
        ConstraintStates states = Instances.uniformScales(r, n, 1, 0.5, 1);
        ViolationFunctional f = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false);
        double[] w0 = Instances.symEigenvalues(symOf(a, states.scaleOf(0)));
        assertTrue(w0[n - 1] > 0.5 && w0[n - 2] < -0.5, "precondition: exactly one violated eigenvalue");
        StabilityOptions full = Instances.tight(0);
        OuterResult reference = new OuterLevel(full).solve(a, states);
        OuterResult low = new OuterLevel(full.withRank(1)).solve(a, states);
        double[] sRef = singularValues(reference.perturbation());
        assertTrue(sRef[1] <= 1e-4 * sRef[0], "the full-rank optimum is rank 1 up to the solve tolerance: "
                + Arrays.toString(sRef));
        assertEquals(reference.eps(), low.eps(), 1e-5 * reference.eps());
        double diff = SquareMatrices.norm(SquareMatrices.plusScaled(reference.perturbation(), -1, low.perturbation()));
        assertTrue(diff <= 1e-4 * reference.eps(), "Δ differs by " + diff);
        assertEquals(1, rank(low.perturbation()));
        assertTrue(maxMu2(a, low.perturbation(), states) <= full.tau());
        assertTrue(f.evaluate(low.perturbation()).violation() <= full.tau());
    }

    @Test
    void rankTwoOfFiveIsFeasibleAndHasRankTwo() {
        // two eigen-directions of every Sym(D_k A) are violated; a rank-2 perturbation can lower both
        Random r = new Random(23);
        int n = 5;
        double[] a = shifted(r, new double[] {2, 1.5, -2, -2.5, -3});
        ConstraintStates states = Instances.uniformScales(r, n, 10, 0.5, 1);
        StabilityOptions opt = StabilityOptions.defaults(0).withRank(2);
        OuterResult low = new OuterLevel(opt).solve(a, states);
        OuterResult full = new OuterLevel(StabilityOptions.defaults(0)).solve(a, states);
        double[] s = singularValues(low.perturbation());
        assertTrue(s[2] <= 1e-10 * s[0], "third singular value " + s[2] + " of " + Arrays.toString(s));
        assertTrue(maxMu2(a, low.perturbation(), states) <= opt.delta() + opt.tau(), "feasible after the outer level");
        // the rank-2 set is a subset of all perturbations: its ε cannot beat the full-rank minimum
        assertTrue(low.eps() >= full.eps() * (1 - 2 * opt.relTol()), low.eps() + " vs " + full.eps());
        assertTrue(low.status() == OuterStatus.CONVERGED, "status " + low.status());
    }

    @Test
    void truncatedFlowKeepsNormRankAndDecrease() {
        Random r = new Random(31);
        int n = 5;
        double[] a = shifted(r, new double[] {2, 1.5, -2, -2.5, -3});
        ConstraintStates states = Instances.uniformScales(r, n, 10, 0.5, 1);
        StabilityOptions opt = Instances.tight(0).withRank(2);
        ViolationFunctional f = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false);
        List<double[]> seen = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        InnerLevel inner = new InnerLevel(f, opt, (dir, before, after, rate) -> {
            seen.add(dir);
            values.add(new double[] {before, after, rate});
        });
        double[] start = new LowRankTruncation(2, 5, 5).unitApproximation(Instances.unit(new Random(5), n));
        InnerResult res = inner.solve(1.0, start, null, opt.h0());
        assertTrue(res.iterations() >= 3, "some accepted steps: " + res.iterations() + " " + res.exit());
        assertEquals(res.iterations(), seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(1.0, SquareMatrices.norm(seen.get(i)), 1e-12);
            assertTrue(rank(seen.get(i)) <= 2);
            assertTrue(values.get(i)[1] < values.get(i)[0], "strict decrease");
            assertTrue(values.get(i)[2] >= 0);
        }
    }

    @Test
    void unreachableRankIsInfeasibleNotAFullRankFallback() {
        // two eigenvalues of Sym(D A) above 0: a rank-1 Δ lowers at most one (interlacing), so no rank-1 point exists
        Random r = new Random(23);
        int n = 5;
        double[] a = shifted(r, new double[] {2, 1.5, -2, -2.5, -3});
        ConstraintStates states = Instances.uniformScales(r, n, 10, 0.5, 1);
        StabilityException e = assertThrows(StabilityException.class,
                () -> new OuterLevel(StabilityOptions.defaults(0).withRank(1)).solve(a, states));
        assertEquals(StabilityException.Kind.INFEASIBLE, e.kind());
        assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
    }

    @Test
    void negativeRankIsRejected() {
        StabilityException e = assertThrows(StabilityException.class, () -> StabilityOptions.defaults(0).withRank(-1));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }

    private static double[] symOf(double[] a, double[] d) {
        int n = d.length;
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = 0.5 * (d[i] * a[i * n + j] + d[j] * a[j * n + i]);
            }
        }
        return s;
    }
}
