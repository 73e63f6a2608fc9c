package org.neuralode4j.analysis.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FiniteValuesTest {
    @Test
    void meanLeavesOutNonFiniteEntries() {
        assertEquals(2.0, FiniteValues.mean(new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY}), 0.0);
        assertEquals(-0.5, FiniteValues.mean(new double[] {-1, 0}), 0.0);
    }

    @Test
    void meanOfNoFiniteEntryIsNaN() {
        assertTrue(Double.isNaN(FiniteValues.mean(new double[0])));
        assertTrue(Double.isNaN(FiniteValues.mean(new double[] {Double.NaN, Double.NEGATIVE_INFINITY})));
    }
}
