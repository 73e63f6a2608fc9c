package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * OUTER warm-started from a previous ORIGINAL round ({@link WarmStart}, stability.md §3.5–§3.6): on a superset of the
 * states it returns a feasible Δ with the cold start's ε (convexity, §3.1) in fewer F evaluations, and when the new
 * states do not bind it converges in one outer iteration.
 */
class WarmStartTest {

    @Test
    void aSupersetGivesTheColdStartsEpsInFewerEvaluations() {
        int n = 6;
        for (double delta : new double[] {0.2, 0}) {
            Random r = new Random(31);
            double[] a = Instances.gaussian(r, n, 1.5 / Math.sqrt(n));
            ConstraintStates first = Instances.uniformScales(r, n, 30, 0.05, 1);
            ConstraintStates both = first.union(Instances.uniformScales(r, n, 30, 0.05, 1));
            StabilityOptions opt = StabilityOptions.defaults(delta);
            OuterResult previous = new OuterLevel(opt).solve(a, first);
            OuterResult cold = new OuterLevel(opt).solve(a, both);
            OuterResult warm = new OuterLevel(opt).solveFrom(a, both, WarmStart.after(previous));
            assertTrue(warm.recheck().violation() <= opt.tau(), "feasible");
            assertTrue(warm.eps() >= previous.eps() * (1 - 2 * opt.relTol()), "T-10: the superset's eps cannot shrink");
            assertEquals(cold.eps(), warm.eps(), 3 * opt.relTol() * cold.eps(), "delta " + delta);
            assertTrue(warm.evaluations() < cold.evaluations(), "delta " + delta + ": " + warm.evaluations()
                    + " F evaluations warm, " + cold.evaluations() + " cold");
        }
    }

    @Test
    void statesThatDoNotBindCostOneOuterIteration() {
        int n = 5;
        Random r = new Random(8);
        double[] a = Instances.gaussian(r, n, 1.5 / Math.sqrt(n));
        ConstraintStates states = Instances.uniformScales(r, n, 20, 0.05, 1);
        StabilityOptions opt = StabilityOptions.defaults(0.1);
        OuterResult previous = new OuterLevel(opt).solve(a, states);
        assertEquals(OuterStatus.CONVERGED, previous.status());
        // the same states again: the same problem, so the previous solution is feasible and the bracket closed
        OuterResult warm = new OuterLevel(opt).solveFrom(a, states.union(states), WarmStart.after(previous));
        assertEquals(1, warm.outerIterations());
        assertEquals(OuterStatus.CONVERGED, warm.status());
        assertEquals(previous.eps(), warm.eps(), 0);
        assertArrayEquals(previous.perturbation(), warm.perturbation(), 1e-15);
    }

    @Test
    void nothingCarriesOverFromAnAlreadyFeasibleRound() {
        double[] a = {-1, 0, 0, -1};
        OuterResult feasible = new OuterLevel(StabilityOptions.defaults(0)).solve(a,
                ConstraintStates.ofScales(2, new double[][] {{1, 1}}));
        assertEquals(OuterStatus.ALREADY_FEASIBLE, feasible.status());
        assertNull(WarmStart.after(feasible));
        assertNull(WarmStart.after(null));
    }
}
