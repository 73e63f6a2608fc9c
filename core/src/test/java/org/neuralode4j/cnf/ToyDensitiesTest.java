package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralode4j.data.DataException;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.tensor.Tensor;

/**
 * The exact toy densities against their samplers: the mean of −log p over samples drawn by {@link Toys2d} is a
 * Monte Carlo estimate of the true NLL, independent of the quadrature, and every sample has positive density.
 */
class ToyDensitiesTest {
    private static double meanNegLogDensity(String name, int n, long seed) {
        Tensor x = Toys2d.sample(name, n, seed);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double lp = ToyDensities.logDensity(name, x.get(i, 0), x.get(i, 1));
            assertTrue(Double.isFinite(lp), name + " sample " + i + " has zero density");
            s -= lp;
        }
        return s / n;
    }

    @Test
    void eightGaussiansTrueNllMatchesMonteCarloOverItsSamplerAndTheSpec() {
        double h = ToyDensities.trueNll("8gaussians").orElseThrow();
        assertEquals(2.83, h, 0.005, "datasets.md §1.1: ≈ 2.83 nats");
        // A mixture's entropy is at most the weights' entropy plus the components' (ln 8 + ln(2πe s²)), with equality
        // only for disjoint components; neighbouring centres are 6.1 s apart, so the overlap costs little.
        double s = ToyDensities.EIGHT_STD;
        double bound = Math.log(8) + Math.log(2 * Math.PI * Math.E * s * s);
        assertTrue(h < bound && h > bound - 0.02, h + " against the bound " + bound);
        // Monte Carlo over 200 000 samples: sd of −log p is about 1, so the standard error is about 0.002.
        assertEquals(h, meanNegLogDensity("8gaussians", 200_000, 5), 0.01);
    }

    @Test
    void checkerboardIsUniformOnItsEightCells() {
        assertEquals(Math.log(32), ToyDensities.trueNll("checkerboard").orElseThrow(), 1e-15);
        assertEquals(Math.log(32), meanNegLogDensity("checkerboard", 20_000, 3), 1e-12, "every sample is inside");
        assertEquals(Double.NEGATIVE_INFINITY, ToyDensities.logDensity("checkerboard", 1, -1), "an odd cell");
        assertEquals(Double.NEGATIVE_INFINITY, ToyDensities.logDensity("checkerboard", 4, 0), "outside [−4, 4)");
    }

    @Test
    void toysWithoutAClosedFormHaveNoTrueNll() {
        assertFalse(ToyDensities.trueNll("pinwheel").isPresent());
        assertFalse(ToyDensities.trueNll("2spirals").isPresent());
        assertThrows(DataException.class, () -> ToyDensities.logDensity("pinwheel", 0, 0));
    }
}
