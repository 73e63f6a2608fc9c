package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * stability.md §6 T-7: |‖E‖_F − 1| ≤ 1e-12 after every step, F strictly decreasing on accepted steps, rate ≥ 0, and a
 * FEASIBLE exit only with m ≤ τ; plus §3.4's stationary points E = −G/‖G‖.
 */
class InnerLevelTest {

    @Test
    void t7InvariantsAtFeasibleAndInfeasibleEps() {
        Random r = new Random(7);
        int n = 5;
        double[] a = Instances.gaussian(r, n, 1.5 / Math.sqrt(n));
        ConstraintStates states = Instances.uniformScales(r, n, 20, 0.05, 1);
        StabilityOptions opt = Instances.tight(0);
        double star = new OuterLevel(opt).solve(a, states).eps();
        ViolationFunctional f = new ViolationFunctional(a, states, 0, Functional.ALL, 1, false);
        List<InnerExit> exits = new ArrayList<>();
        for (double eps : new double[] {0.5 * star, 0.9 * star, 1.2 * star}) {
            List<Double> norms = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            InnerLevel inner = new InnerLevel(f, opt, (dir, before, after, rate) -> {
                norms.add(SquareMatrices.norm(dir));
                values.add(new double[] {before, after, rate});
            });
            InnerResult res = inner.solve(eps, Instances.unit(new Random(70), n), null, opt.h0());
            exits.add(res.exit());
            assertEquals(res.iterations(), norms.size());
            for (int i = 0; i < norms.size(); i++) {
                assertEquals(1.0, norms.get(i), 1e-12);
                assertTrue(values.get(i)[1] < values.get(i)[0], "strict decrease");
                assertTrue(values.get(i)[2] >= 0, "rate >= 0");
                if (i > 0) {
                    assertEquals(values.get(i - 1)[1], values.get(i)[0], 0, "steps chain");
                }
            }
            if (res.exit() == InnerExit.FEASIBLE) {
                assertTrue(res.at().violation() <= opt.tau());
            } else {
                assertTrue(eps < star * 1.01, "an inner solve above eps* ends feasible here: " + res.exit());
            }
            assertTrue(res.evaluations() >= res.iterations());
        }
        assertTrue(exits.contains(InnerExit.FEASIBLE));
    }

    @Test
    void stationaryAtMinusGOverNormG() {
        // one state, D = I: the minimiser at any ε < ε* is E = −G(εE)/‖G‖ with G ∝ the violated eigenprojector
        double[] a = {1, 2, 0, -1};
        ConstraintStates s = ConstraintStates.ofScales(2, new double[][] {{1, 1}});
        ViolationFunctional f = new ViolationFunctional(a, s, 0, Functional.ALL, 1, false);
        Evaluation e0 = f.evaluate(new double[4]);
        double[] e = SquareMatrices.scaled(-1 / e0.gradientNorm(), e0.gradient());
        InnerResult r = new InnerLevel(f, Instances.tight(0)).solve(0.7, e, null, 0.1);
        assertEquals(InnerExit.STATIONARY, r.exit());
        assertEquals(0, r.iterations());
        assertEquals(0.5 * Math.pow(Math.sqrt(2) - 0.7, 2), r.at().value(), 1e-12, "phi(eps) = ½(ε* − ε)²");
    }
}
