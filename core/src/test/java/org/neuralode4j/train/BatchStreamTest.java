package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuralode4j.data.DataException;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/** Density training's batch streams: seeded and deterministic, and a fixed set visited row by row without repeats. */
class BatchStreamTest {
    @Test
    void aToyStreamIsDeterministicInItsSeedAndFreshEachCall() {
        BatchStream a = BatchStream.toy("8gaussians", 4);
        BatchStream b = BatchStream.toy("8gaussians", 4);
        Tensor a1 = a.next(16);
        assertArrayEquals(a1.toArray(), b.next(16).toArray(), 0.0);
        assertFalse(java.util.Arrays.equals(a1.toArray(), a.next(16).toArray()), "each call is a fresh batch");
        assertFalse(java.util.Arrays.equals(a1.toArray(), BatchStream.toy("8gaussians", 5).next(16).toArray()));
        assertThrows(DataException.class, () -> BatchStream.toy("no-such-set", 0));
    }

    @Test
    void aShuffledSetServesEveryRowOncePerPassAndRefusesOversizedBatches() {
        int rows = 10;
        double[] v = new double[rows * 2];
        for (int i = 0; i < rows; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = -i;
        }
        BatchStream s = BatchStream.shuffled(Tensor.of(v, rows, 2), 7);
        Set<Double> seen = new HashSet<>();
        for (int k = 0; k < 3; k++) {
            Tensor b = s.next(3);
            for (int i = 0; i < 3; i++) {
                assertEquals(-b.getFlat(2 * i), b.getFlat(2 * i + 1), 0.0, "rows stay whole");
                assertTrue(seen.add(b.getFlat(2 * i)), "no row twice within a pass");
            }
        }
        assertEquals(3, s.next(3).dim(0), "a new pass starts when fewer than n rows remain");
        assertThrows(ConfigException.class, () -> s.next(11));
        assertThrows(ConfigException.class, () -> BatchStream.shuffled(Tensor.zeros(0, 2), 0));
    }
}
