package org.neuralode4j.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The seeded generator: reproducible, and with the right first two moments. */
class RngTest {
    @Test
    void sameSeedSameStreamDifferentSeedDifferentStream() {
        assertArrayEquals(Rng.seeded(5).normal(100).toArray(), Rng.seeded(5).normal(100).toArray());
        assertFalse(java.util.Arrays.equals(Rng.seeded(5).normal(100).toArray(), Rng.seeded(6).normal(100).toArray()));
    }

    @Test
    void momentsAreRight() {
        int n = 200_000;
        double[] g = Rng.seeded(1).normal(n).toArray();
        double[] u = Rng.seeded(2).uniform(-1, 3, n).toArray();
        double[] r = Rng.seeded(3).rademacher(n).toArray();
        // Standard errors: mean ~ sd/√n; 5 standard errors of slack.
        double se = 5 / Math.sqrt(n);
        assertEquals(0.0, mean(g), se);
        assertEquals(1.0, var(g), 5 * Math.sqrt(2.0 / n));
        assertEquals(1.0, mean(u), 5 * Math.sqrt(16.0 / 12 / n));
        assertEquals(16.0 / 12, var(u), 0.02);
        assertEquals(0.0, mean(r), se);
        for (double v : r) {
            assertTrue(v == 1.0 || v == -1.0);
        }
        for (double v : u) {
            assertTrue(v >= -1 && v < 3);
        }
    }

    @Test
    void permutationAndBoundedIntegers() {
        int[] p = Rng.seeded(9).permutation(1000);
        boolean[] seen = new boolean[1000];
        for (int i : p) {
            assertFalse(seen[i]);
            seen[i] = true;
        }
        Rng r = Rng.seeded(4);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 500);
        }
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double var(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }
}
