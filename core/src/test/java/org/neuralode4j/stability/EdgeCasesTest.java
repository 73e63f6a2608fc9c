package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** stability.md §6 T-11 and the §3.9 table: already feasible, INFEASIBLE, NON_FINITE, K = 0, float32 write-back. */
class EdgeCasesTest {

    @Test
    void alreadyFeasibleGivesZeroPerturbationAndNoIterations() {
        double[] a = {-1, 0.2, 0.1, -2};
        OuterResult r = new OuterLevel(StabilityOptions.defaults(0)).solve(a,
                ConstraintStates.ofScales(2, new double[][] {{1, 0.5}, {0.2, 1}}));
        assertEquals(OuterStatus.ALREADY_FEASIBLE, r.status());
        assertEquals(0, r.eps());
        assertEquals(0, r.outerIterations());
        assertEquals(0, r.innerIterations());
        assertArrayEquals(new double[4], r.perturbation(), 0);
        DenseBlock block = new DenseBlock(2, a, new double[2], FieldActivation.TANH);
        StabilisationResult s = new Stabiliser(StabilityOptions.defaults(0)).run(block,
                b -> new double[][] {{0.1, 0.2}, {-0.3, 0.4}}, false);
        assertTrue(s.satisfied());
        assertArrayEquals(a, s.stabilised(), 0, "model unchanged");
        assertEquals(1, s.rounds().size());
        assertNull(s.rounds().get(0).status());
    }

    @Test
    void negativeDeltaWithASaturatedUnitIsInfeasibleNamingKAndI() {
        double[][] d = {{1, 1}, {0.5, 0.5}, {1, 1}, {0.3, 0}};
        StabilityException e = assertThrows(StabilityException.class, () -> new OuterLevel(
                StabilityOptions.defaults(-0.1)).solve(new double[] {1, 0, 0, 1}, ConstraintStates.ofScales(2, d)));
        assertEquals(StabilityException.Kind.INFEASIBLE, e.kind());
        assertTrue(e.getMessage().contains("k = 3") && e.getMessage().contains("i = 1"), e.getMessage());
        assertTrue(e.getMessage().contains("delta >= 0"));
        assertFalse(e.getMessage().contains("\n"));
    }

    /**
     * δ = 0 with a saturated unit (some (D_k)_ii = 0, which float32 tanh reaches): the bracket's shift c is 0. It
     * used to be max(0, −0/0) = NaN, so OUTER ran on a NaN upper end and returned a NaN perturbation.
     */
    @Test
    void zeroDeltaWithASaturatedUnitSolves() {
        double[] a = {-1.0, -0.75, 1.25, -1.0};
        ConstraintStates states = ConstraintStates.ofScales(2, new double[][] {{0.25, 0.875}, {0.625, 0.0}});
        OuterResult r = new OuterLevel(StabilityOptions.defaults(0.0)).solve(a, states);
        assertEquals(OuterStatus.CONVERGED, r.status());
        assertTrue(Double.isFinite(r.eps()) && r.eps() > 0, "eps " + r.eps());
        assertTrue(SquareMatrices.allFinite(r.perturbation()));
        double m = new ViolationFunctional(a, states, 0.0, Functional.ALL, 1, false).evaluate(r.perturbation())
                .violation();
        assertTrue(m <= 1e-3, "feasible: m = " + m);
    }

    @Test
    void nanStateIsNonFiniteNamingKAndRound() {
        DenseBlock block = new DenseBlock(2, new double[] {1, 0, 0, 1}, new double[2], FieldActivation.TANH);
        StabilityException e = assertThrows(StabilityException.class,
                () -> ConstraintStates.collect(block, new double[][] {{0, 0}, {Double.NaN, 1}}, 2));
        assertEquals(StabilityException.Kind.NON_FINITE, e.kind());
        assertTrue(e.getMessage().contains("k = 1") && e.getMessage().contains("round 2"), e.getMessage());
        StabilityException viaRounds = assertThrows(StabilityException.class, () -> new Stabiliser(
                StabilityOptions.defaults(0)).run(block, b -> new double[][] {{Double.NaN, 0}}, false));
        assertEquals(StabilityException.Kind.NON_FINITE, viaRounds.kind());
        assertThrows(StabilityException.class, () -> new DenseBlock(1, new double[] {Double.POSITIVE_INFINITY},
                new double[1], FieldActivation.TANH));
    }

    @Test
    void noStatesIsAnError() {
        StabilityException e = assertThrows(StabilityException.class, () -> new OuterLevel(StabilityOptions.defaults(0))
                .solve(new double[] {1}, ConstraintStates.ofScales(1, new double[0][])));
        assertEquals(StabilityException.Kind.NO_STATES, e.kind());
    }

    @Test
    void badOptionsAreRejectedWithTheFieldName() {
        StabilityException e = assertThrows(StabilityException.class,
                () -> StabilityOptions.defaults(0).withTolerances(-1, 1e-3, 50));
        assertTrue(e.getMessage().contains("tau"));
        assertThrows(StabilityException.class, () -> StabilityOptions.defaults(Double.NaN));
        assertThrows(StabilityException.class, () -> StabilityOptions.defaults(0).withRounds(0, Rebase.CURRENT));
        assertEquals(Math.log(2), StabilityOptions.deltaForLipschitz(2, 1), 1e-15);
    }

    @Test
    void float32WriteBackRecomputesM() {
        Random r = new Random(11);
        int n = 4;
        double[] a = Instances.gaussian(r, n, 1);
        DenseBlock block = new DenseBlock(n, a, new double[n], FieldActivation.TANH);
        StateCollector c = b -> new double[][] {{0.1, 0.2, 0.3, 0.4}, {-0.5, 0.1, 0, 0.2}};
        StabilisationResult res = new Stabiliser(StabilityOptions.defaults(0).withRounds(1, Rebase.ORIGINAL)).run(block,
                c, true);
        for (double v : res.stabilised()) {
            assertEquals((float) v, v, 0, "rounded to float32");
        }
        assertTrue(Double.isFinite(res.float32Check()));
        ConstraintStates states = ConstraintStates.collect(block, c.collect(block), 1);
        assertEquals(TopEigenvalues.of(res.stabilised(), states).max(), res.float32Check(), 0);
        assertTrue(res.float32Check() <= 1e-3 + 1e-6, "rounding moves m by float32 ulps only");
    }
}
