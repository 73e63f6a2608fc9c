package org.neuralode4j.analysis.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Quantiles behind the rule parameters of evaluation.md §4.4. */
class QuantilesTest {

    @Test
    void normalQuantileMatchesKnownValues() {
        assertEquals(1.959963984540054, Quantiles.normalQuantile(0.975), 1e-12);
        assertEquals(0.0, Quantiles.normalQuantile(0.5), 1e-15);
        assertEquals(-2.326347874040841, Quantiles.normalQuantile(0.01), 1e-12);
        assertEquals(-6.361340902404056, Quantiles.normalQuantile(1e-10), 1e-9);
    }

    @Test
    void normalQuantileInvertsCdf() {
        for (double p : new double[] {1e-12, 1e-6, 0.01, 0.02425, 0.3, 0.5, 0.77, 0.975, 0.9916666, 0.999999}) {
            double x = Quantiles.normalQuantile(p);
            assertEquals(p, Quantiles.normalCdf(x), 1e-12 * Math.max(1e-3, Math.min(p, 1 - p)) + 1e-15,
                "p = " + p);
        }
    }

    @Test
    void bonferroniValuesFromSpec() {
        assertEquals(2.394, VerdictRule.bonferroniZ(3), 1e-3);
        assertEquals(2.773, VerdictRule.bonferroniZ(9), 1e-3);
        assertEquals(2.3939797998185104, VerdictRule.bonferroniZ(3), 1e-9);
    }

    @Test
    void studentTQuantilesFromSpec() {
        assertEquals(4.303, ZRule.STUDENT_T.critical(3), 1e-3);
        assertEquals(2.776, ZRule.STUDENT_T.critical(5), 1e-3);
        assertEquals(4.302652729911275, Quantiles.studentTQuantile(0.975, 2), 1e-8);
        assertEquals(2.776445105197793, Quantiles.studentTQuantile(0.975, 4), 1e-8);
        assertEquals(2.0, ZRule.NORMAL.critical(3), 0.0);
    }

    @Test
    void studentTClosedFormsForOneAndTwoDegreesOfFreedom() {
        for (double p : new double[] {0.6, 0.9, 0.975, 1 - 0.025 / 3, 1 - 0.025 / 9, 0.9999}) {
            // ν = 1 (Cauchy): t = tan(π(p − ½)).
            assertEquals(Math.tan(Math.PI * (p - 0.5)), Quantiles.studentTQuantile(p, 1),
                1e-8 * Math.max(1, Math.tan(Math.PI * (p - 0.5))));
            // ν = 2: F(t) = ½ + t/(2√(2 + t²)) ⇒ t = α√(2/(1 − α²)), α = 2p − 1.
            double a = 2 * p - 1;
            assertEquals(a * Math.sqrt(2 / (1 - a * a)), Quantiles.studentTQuantile(p, 2), 1e-7);
            assertEquals(-Quantiles.studentTQuantile(p, 3), Quantiles.studentTQuantile(1 - p, 3), 1e-9);
        }
    }

    @Test
    void studentTApproachesNormalForLargeDf() {
        assertEquals(1.959963984540054, Quantiles.studentTQuantile(0.975, 1e7), 1e-5);
        assertEquals(0.975, Quantiles.studentTCdf(Quantiles.studentTQuantile(0.975, 7), 7), 1e-12);
    }
}
