package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * stability.md §6 T-6: n = 5, K = 20, D entries U(0.05, 1), A = 1.5·N(0, 1)/√n, δ ∈ {0.5, 0, −0.2}: feasible on
 * re-evaluation, inside the §3.1 bounds, the same ε from five random starts (convexity), ALL and TOP feasible.
 */
class RandomInstancesTest {

    @Test
    void t6FeasibleBoundedAndIndependentOfTheStart() {
        int n = 5;
        for (double delta : new double[] {0.5, 0, -0.2}) {
            Random r = new Random(6);
            double[] a = Instances.gaussian(r, n, 1.5 / Math.sqrt(n));
            ConstraintStates states = Instances.uniformScales(r, n, 20, 0.05, 1);
            StabilityOptions opt = Instances.tight(delta);
            OuterResult res = new OuterLevel(opt).solve(a, states);
            assertNotEquals(OuterStatus.ALREADY_FEASIBLE, res.status(), "the instance must need a perturbation");
            assertTrue(res.recheck().violation() <= opt.tau());
            assertTrue(new ViolationFunctional(a, states, delta, Functional.ALL, 1, false).evaluate(res.perturbation())
                    .violation() <= opt.tau(), "independent re-evaluation");
            // §3.1 bounds
            double lower = 0;
            double dMin = Double.POSITIVE_INFINITY;
            TopEigenvalues top = TopEigenvalues.of(a, states);
            for (int k = 0; k < states.size(); k++) {
                double dMax = 0;
                for (double d : states.scale(k)) {
                    dMax = Math.max(dMax, d);
                    dMin = Math.min(dMin, d);
                }
                lower = Math.max(lower, Math.max(0, top.values()[k] - delta) / dMax);
            }
            double c = Math.max(0, -delta / dMin);
            double upper = SquareMatrices.norm(SquareMatrices.plusScaled(a, 1, SquareMatrices.identity(n, c)));
            assertTrue(res.eps() >= lower * (1 - 1e-9) && res.eps() <= upper, "delta " + delta + ": " + lower + " <= "
                    + res.eps() + " <= " + upper);
            // five random unit starts agree on ε
            Random starts = new Random(60);
            for (int s = 0; s < 5; s++) {
                OuterResult other = new OuterLevel(opt).solve(a, states, Instances.unit(starts, n));
                assertTrue(other.recheck().violation() <= opt.tau());
                assertEquals(res.eps(), other.eps(), 1e-4 * res.eps(), "delta " + delta + " start " + s);
            }
            OuterResult topForm = new OuterLevel(opt.withFunctional(Functional.TOP)).solve(a, states);
            assertTrue(topForm.recheck().violation() <= opt.tau(), "TOP feasible");
            assertTrue(topForm.eps() >= res.eps() * (1 - 1e-4), "TOP cannot beat the convex optimum");
        }
    }
}
