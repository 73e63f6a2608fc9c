package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * stability.md §6 T-8: the bracket is monotone, best feasible, iterations bounded, CONVERGED closes the bracket;
 * φ'(ε) = −‖G‖_F at ε = 0.5ε*, 0.8ε* (central differences of tight inner solves); φ non-increasing and convex on
 * (0, ε*).
 */
class OuterLevelTest {
    private static final int N = 5;
    private final double[] a;
    private final ConstraintStates states;

    OuterLevelTest() {
        Random r = new Random(8);
        a = Instances.gaussian(r, N, 1.5 / Math.sqrt(N));
        states = Instances.uniformScales(r, N, 20, 0.05, 1);
    }

    @Test
    void t8BracketInvariants() {
        for (double delta : new double[] {0.5, 0, -0.2}) {
            StabilityOptions opt = Instances.tight(delta);
            OuterResult res = new OuterLevel(opt).solve(a, states);
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            for (OuterStep s : res.steps()) {
                assertTrue(s.lower() >= lo && s.upper() <= hi, "monotone bracket");
                assertTrue(s.lower() < s.upper());
                lo = s.lower();
                hi = s.upper();
            }
            assertTrue(res.outerIterations() <= opt.maxOuter());
            assertTrue(res.recheck().violation() <= opt.tau(), "best feasible");
            assertEquals(hi, res.eps(), 0, "the returned ε is the bracket's upper end");
            if (res.status() == OuterStatus.CONVERGED) {
                assertTrue(hi - lo <= opt.relTol() * hi);
            }
        }
        StabilityOptions few = Instances.tight(0).withMaxOuter(2);
        OuterResult capped = new OuterLevel(few).solve(a, states);
        assertEquals(OuterStatus.MAX_OUTER, capped.status());
        assertTrue(capped.recheck().violation() <= few.tau(), "MAX_OUTER still returns a feasible Δ");
    }

    /** Tight inner settings of T-8: maxInner 2000, statTol 1e-10, no stagnation stop. */
    private StabilityOptions tightInner() {
        return Instances.tight(0).withInner(2000, 1e-10, 0);
    }

    /** φ(ε) and ‖G‖ there from a tight inner solve started at {@code start}. */
    private InnerResult phi(double eps, double[] start) {
        ViolationFunctional f = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false);
        return new InnerLevel(f, tightInner()).solve(eps, start, null, 0.1);
    }

    private double[] firstDirection() {
        Evaluation e0 = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false).evaluate(new double[N * N]);
        return SquareMatrices.scaled(-1 / e0.gradientNorm(), e0.gradient());
    }

    @Test
    void t8SlopeIsMinusNormG() {
        double star = new OuterLevel(Instances.tight(0)).solve(a, states).eps();
        for (double frac : new double[] {0.5, 0.8}) {
            double eps = frac * star;
            InnerResult mid = phi(eps, firstDirection());
            double eta = 1e-4 * eps;
            double plus = phi(eps + eta, mid.direction()).at().value();
            double minus = phi(eps - eta, mid.direction()).at().value();
            double slope = (plus - minus) / (2 * eta);
            double g = mid.at().gradientNorm();
            assertEquals(-g, slope, 1e-3 * g, "at " + frac + " eps*");
        }
    }

    @Test
    void t8PhiNonIncreasingAndConvex() {
        double star = new OuterLevel(Instances.tight(0)).solve(a, states).eps();
        double phi0 = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false).evaluate(new double[N * N]).value();
        double[] values = new double[10];
        double[] e = firstDirection();
        for (int i = 0; i < 10; i++) {
            InnerResult r = phi(star * (i + 0.5) / 10, e);
            values[i] = r.at().value();
            e = r.direction();
        }
        for (int i = 1; i < 10; i++) {
            assertTrue(values[i] <= values[i - 1] + 1e-12 * phi0, "non-increasing at " + i);
        }
        for (int i = 1; i < 9; i++) {
            assertTrue(values[i + 1] - 2 * values[i] + values[i - 1] >= -1e-6 * phi0, "convex at " + i);
        }
    }
}
