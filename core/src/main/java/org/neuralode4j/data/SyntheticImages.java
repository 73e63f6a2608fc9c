package org.neuralode4j.data;

import java.util.List;
import org.neuralode4j.tensor.Rng;

/**
 * A small learnable image set for tests and smoke runs of the image path (datasets.md §6): 28×28 images of noise
 * with one bright horizontal bar whose row encodes the class (class k at rows 2 + 2.5k, two rows thick). Seeded,
 * so equal arguments give equal images.
 */
public final class SyntheticImages {
    public static final int SIDE = 28;

    private SyntheticImages() {}

    /** n images of {@code classes} ≤ 10 classes, labels cycling 0, 1, …, with noise from a generator seeded seed. */
    public static ImageSet bars(int n, int classes, long seed) {
        if (classes < 2 || classes > 10 || n < 1) {
            throw new DataException("synthetic bars: need 2-10 classes and n >= 1, got " + classes + " and " + n);
        }
        Rng rng = Rng.seeded(seed);
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            int top = 2 + (int) (2.5 * labels[i]);
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    double v = 60 * rng.nextDouble();
                    if ((r == top || r == top + 1) && c >= 4 && c < 24) {
                        v += 180;
                    }
                    px[(i * SIDE + r) * SIDE + c] = (byte) Math.min(255, (int) v);
                }
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("bar " + k);
        }
        return new ImageSet("synthetic bars", SIDE, SIDE, px, labels, names);
    }
}
