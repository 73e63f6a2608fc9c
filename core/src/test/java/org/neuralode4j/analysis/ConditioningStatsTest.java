package org.neuralode4j.analysis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Pooled statistics and the type-7 percentile of evaluation.md §1.4, checked against hand computations. */
class ConditioningStatsTest {

    @Test
    void handComputedFiniteSet() {
        // κ sorted 1, 10, 100, 1000 (log10: 0..3); h = 3·p/100, so median h = 1.5 and p90 h = 2.7.
        ConditioningStats s = ConditioningStats.of(new double[] {100, 1, 1000, 10}, new double[] {1, 2, 3, 6},
                new double[] {-1, 0.5, 2, -3});
        assertEquals(4, s.count());
        assertEquals(277.75, s.kappaMean(), 1e-12);
        assertEquals(55.0, s.kappaMedian(), 1e-12);
        assertEquals(730.0, s.kappaP90(), 1e-12);
        assertEquals(1000.0, s.kappaMax(), 0);
        assertEquals(1.5, s.log10KappaMean(), 1e-12);
        assertEquals(1.5, s.log10KappaMedian(), 1e-12);
        assertEquals(2.7, s.log10KappaP90(), 1e-12);
        assertEquals(3.0, s.log10KappaMax(), 1e-12);
        assertEquals(3.0, s.frobeniusMean(), 1e-12);
        // μ₂ sorted −3, −1, 0.5, 2
        assertEquals(-0.375, s.mu2Mean(), 1e-12);
        assertEquals(-0.25, s.mu2Median(), 1e-12);
        assertEquals(1.55, s.mu2P90(), 1e-12);
        assertEquals(2.0, s.mu2Max(), 0);
        assertEquals(0.5, s.mu2PositiveFraction(), 0);
        assertEquals(0, s.nonFiniteKappa());
        assertArrayEquals(new double[] {100, 1, 1000, 10}, s.kappa(), 0);
    }

    @Test
    void infiniteKappaRanksLastAndIsLeftOutOfMeans() {
        double inf = Double.POSITIVE_INFINITY;
        // sorted 1, 2, 4, 8, ∞: median h = 2 lands on 4; p90 h = 3.6 interpolates towards ∞.
        ConditioningStats s = ConditioningStats.of(new double[] {8, inf, 1, 4, 2}, new double[] {1, 1, 1, 1, 1},
                new double[] {0, 0, 0, 0, 0});
        assertEquals(1, s.nonFiniteKappa());
        assertEquals(3.75, s.kappaMean(), 1e-12);
        assertEquals(4.0, s.kappaMedian(), 0);
        assertEquals(inf, s.kappaP90());
        assertEquals(inf, s.kappaMax());
        assertEquals(Math.log10(64) / 4, s.log10KappaMean(), 1e-12);
        assertEquals(Math.log10(4), s.log10KappaMedian(), 1e-15);
        assertEquals(inf, s.log10KappaMax());
        assertEquals(0.0, s.mu2PositiveFraction(), 0);
    }

    @Test
    void percentileEdgeCases() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(7.0, ConditioningStats.percentile(new double[] {7}, 90), 0);
        assertEquals(inf, ConditioningStats.percentile(new double[] {inf, inf}, 50));
        assertEquals(1.0, ConditioningStats.percentile(new double[] {1, 2, inf}, 0), 0);
        assertEquals(1.5, ConditioningStats.percentile(new double[] {1, 2, 3}, 25), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ConditioningStats.of(new double[0], new double[0],
                new double[0]));
        assertThrows(IllegalArgumentException.class, () -> ConditioningStats.of(new double[1], new double[2],
                new double[1]));
    }
}
