package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The active set of stability.md §3.7: same ε as without it, feasible on every state, and the re-add path. */
class ActiveSetTest {

    /**
     * n = 2, δ = 0, margin 0: state 2 is violated at A (λ_max ≈ 0.078) and state 1 is not (λ_max ≈ −0.012), so the set
     * starts with state 2 alone. The perturbation that fixes state 2 pushes state 1 above δ: the confirmation on all
     * states finds it, state 1 joins, the ε is repeated, and the result is the one without an active set.
     */
    @Test
    void aDroppedStateThatTurnsViolatedRejoinsAndTheOuterIterationRepeats() {
        double[] a = {-1.0, -0.75, 1.25, -1.0};
        ConstraintStates states = ConstraintStates.ofScales(2, new double[][] {{0.25, 0.875}, {0.625, 0.0}});
        StabilityOptions plain = StabilityOptions.defaults(0.0);
        StabilityOptions withSet = plain.withActiveMargin(0.0);

        ViolationFunctional all = new ViolationFunctional(a, states, 0.0, Functional.ALL, 1, true);
        ActiveSetFunctional set = new ActiveSetFunctional(all, new double[4], 0.0);
        assertEquals(1, set.size(), "only the violated state starts active");
        OuterResult viaSet = new OuterLevel(withSet).bracket(set, all.evaluate(new double[4]),
                SquareMatrices.scaled(-1.0, a), null, null, System.nanoTime());
        assertEquals(1, set.enlargements(), "state 1 turned violated once and rejoined");
        assertEquals(2, set.size());

        OuterResult reference = new OuterLevel(plain).solve(a, states);
        OuterResult solved = new OuterLevel(withSet).solve(a, states);
        assertEquals(OuterStatus.CONVERGED, solved.status());
        assertEquals(reference.eps(), solved.eps(), 2 * plain.relTol() * reference.eps());
        assertEquals(solved.eps(), viaSet.eps(), 0);
        double m = new ViolationFunctional(a, states, 0.0, Functional.ALL, 1, false).evaluate(solved.perturbation())
                .violation();
        assertTrue(m <= plain.tau(), "feasible on every state: m = " + m);
    }

    /** Random blocks and δ: with any margin the result matches the plain OUTER's and is feasible on every state. */
    @Test
    void matchesThePlainOuterLevelOnRandomBlocks() {
        Random r = new Random(11);
        for (int trial = 0; trial < 12; trial++) {
            int n = 3 + r.nextInt(4);
            double[] a = Instances.gaussian(r, n, 1.0);
            ConstraintStates states = Instances.uniformScales(r, n, 40, 0.05, 1.0);
            double delta = trial % 3 == 0 ? 0.0 : 0.3 * r.nextDouble();
            double margin = 0.5 * r.nextDouble();
            StabilityOptions plain = StabilityOptions.defaults(delta);
            OuterResult reference = new OuterLevel(plain).solve(a, states);
            OuterResult solved = new OuterLevel(plain.withActiveMargin(margin)).solve(a, states);
            assertEquals(reference.status(), solved.status(), "trial " + trial);
            assertEquals(reference.eps(), solved.eps(), 2 * plain.relTol() * Math.max(reference.eps(), 1e-12),
                    "trial " + trial + " (n " + n + ", δ " + delta + ", margin " + margin + ")");
            double m = new ViolationFunctional(a, states, delta, Functional.ALL, 1, false)
                    .evaluate(solved.perturbation()).violation();
            assertTrue(m <= plain.tau(), "trial " + trial + ": m = " + m);
        }
    }

    @Test
    void aNegativeOrInfiniteMarginIsAOneLineError() {
        StabilityOptions o = StabilityOptions.defaults(0.0);
        StabilityException e = assertThrows(StabilityException.class, () -> o.withActiveMargin(-0.1));
        assertEquals("stabilize: activeMargin = -0.1: must be >= 0 (or off)", e.getMessage());
        assertThrows(StabilityException.class, () -> o.withActiveMargin(Double.POSITIVE_INFINITY));
        assertTrue(!o.activeSet() && o.withActiveMargin(0.2).activeSet());
    }
}
