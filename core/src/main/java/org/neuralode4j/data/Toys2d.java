package org.neuralode4j.data;

import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Seeded two-dimensional toy data sets (datasets.md §1–2). */
public final class Toys2d {
    private Toys2d() {}

    /**
     * disk-annulus, the W1 set (datasets.md §2): ⌊n/2⌋ points with label 0 uniform by area in the disk r &lt; 0.5,
     * the rest with label 1 uniform in the annulus 1 &lt; r &lt; 1.5, then shuffled.
     */
    public static LabelledSet diskAnnulus(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        int n0 = n / 2;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double r = i < n0 ? 0.5 * Math.sqrt(rng.nextDouble()) : Math.sqrt(1 + 1.25 * rng.nextDouble());
            double th = 2 * Math.PI * rng.nextDouble();
            x[2 * i] = r * StrictMath.cos(th);
            x[2 * i + 1] = r * StrictMath.sin(th);
            y[i] = i < n0 ? 0 : 1;
        }
        int[] perm = rng.permutation(n);
        double[] xs = new double[2 * n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = x[2 * perm[i]];
            xs[2 * i + 1] = x[2 * perm[i] + 1];
            ys[i] = y[perm[i]];
        }
        return new LabelledSet(Tensor.of(xs, n, 2), ys);
    }
}
