package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Bayes accuracies of datasets.md §2's table, re-measured on the library's own generator: points drawn by
 * {@link Toys2d#labelled}, classified by the Bayes rule of the exact class-conditional densities (each class a curve
 * convolved with the Gaussian noise, integrated along the curve by the midpoint rule). The table's values must lie
 * within its stated ±0.003 of the estimate, widened by three standard errors of the Monte Carlo draw. The studies'
 * gates (≥ 0.95 on moons σ = 0.2, claims.md §0) rest on these numbers.
 */
class BayesAccuracyTest {
    /** Points per estimate: a standard error of at most 0.0012 at accuracy 0.97. */
    private static final int N = 20_000;
    /** Quadrature nodes along each curve: spacing at most 0.013 in the generator's units, against noise of 0.08 or more. */
    private static final int K = 500;

    /** A curve c(s), s ∈ [0, 1], traversed uniformly, in the generator's coordinates before its final map. */
    private record Curve(double[] xs, double[] ys) {
        static Curve of(DoubleUnaryOperator x, DoubleUnaryOperator y) {
            double[] xs = new double[K];
            double[] ys = new double[K];
            for (int k = 0; k < K; k++) {
                double s = (k + 0.5) / K; // midpoint rule
                xs[k] = x.applyAsDouble(s);
                ys[k] = y.applyAsDouble(s);
            }
            return new Curve(xs, ys);
        }
    }

    /** Density of c(S) + σξ at (px, py), up to the factor common to both classes. */
    private static double density(Curve c, double sigma, double px, double py) {
        double sum = 0;
        double inv = 1 / (2 * sigma * sigma);
        for (int k = 0; k < K; k++) {
            double dx = px - c.xs()[k];
            double dy = py - c.ys()[k];
            sum += Math.exp(-(dx * dx + dy * dy) * inv);
        }
        return sum;
    }

    /**
     * Accuracy of the Bayes rule on a drawn set, after {@code back} maps the set's coordinates to the generator's
     * (undoing its final affine map), with equal class sizes.
     */
    private static double bayes(LabelledSet set, Curve c0, Curve c1, double sigma, double scale, double shiftX,
                                double shiftY) {
        double[] v = set.x().toArray();
        int correct = 0;
        for (int i = 0; i < set.size(); i++) {
            double px = (v[2 * i] - shiftX) / scale;
            double py = (v[2 * i + 1] - shiftY) / scale;
            int guess = density(c1, sigma, px, py) > density(c0, sigma, px, py) ? 1 : 0;
            if (guess == set.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / set.size();
    }

    private static void assertNear(double table, double estimate, String what) {
        double se = Math.sqrt(estimate * (1 - estimate) / N);
        assertTrue(Math.abs(table - estimate) <= 0.003 + 3 * se,
                what + ": table " + table + ", estimate " + estimate + " ± " + se);
    }

    private static final Curve OUTER_MOON = Curve.of(s -> Math.cos(Math.PI * s), s -> Math.sin(Math.PI * s));
    private static final Curve INNER_MOON = Curve.of(s -> 1 - Math.cos(Math.PI * s), s -> 0.5 - Math.sin(Math.PI * s));

    private static double moons(double sigma) {
        LabelledSet set = Toys2d.labelled("moons", N, 11, Map.of("noise", sigma));
        // the generator maps x ↦ 2x + (−1, −0.2) after the noise
        return bayes(set, OUTER_MOON, INNER_MOON, sigma, 2, -1, -0.2);
    }

    @Test
    void moonsMatchTheTable() {
        assertNear(0.9996, moons(0.1), "moons σ = 0.1");
        assertNear(0.970, moons(0.2), "moons σ = 0.2");
        assertNear(0.915, moons(0.3), "moons σ = 0.3");
    }

    private static Curve ring(double r) {
        return Curve.of(s -> r * Math.cos(2 * Math.PI * s), s -> r * Math.sin(2 * Math.PI * s));
    }

    @Test
    void circlesMatchTheTable() {
        for (double[] row : new double[][] {{0.08, 0.999}, {0.2, 0.89}}) {
            LabelledSet set = Toys2d.labelled("circles", N, 12, Map.of("noise", row[0]));
            // the generator multiplies by 3 after the noise
            assertNear(row[1], bayes(set, ring(1.0), ring(0.5), row[0], 3, 0, 0), "circles noise " + row[0]);
        }
    }

    @Test
    void diskAnnulusIsSeparatedByTheMarginCircle() {
        LabelledSet set = Toys2d.labelled("disk-annulus", N, 13);
        double[] v = set.x().toArray();
        int correct = 0;
        for (int i = 0; i < set.size(); i++) {
            double r = Math.hypot(v[2 * i], v[2 * i + 1]);
            correct += (r > 0.75 ? 1 : 0) == set.labels()[i] ? 1 : 0;
        }
        assertEquals(N, correct, "Bayes accuracy 1: the classes sit on either side of r = 0.75 with a gap of 0.5");
    }
}
