package org.neuralode4j.data;

import java.util.List;
import org.neuralode4j.tensor.Rng;

/**
 * A small learnable image set for tests and smoke runs of the image path (datasets.md §6): 28×28 images of noise
 * with k + 1 bright horizontal bars for class k, each two rows thick and 14 pixels long, in k + 1 of ten row
 * bands chosen at random and at random horizontal offsets. The class is the bars' total area, a feature that a
 * convolution followed by a global average pool can see (a single bar's position would not be). Seeded, so
 * equal arguments give equal images.
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
            boolean[] band = new boolean[10];
            int[] order = rng.permutation(10);
            for (int k = 0; k <= labels[i]; k++) {
                band[order[k]] = true;
            }
            int[] offset = new int[10];
            for (int k = 0; k < 10; k++) {
                offset[k] = 2 + rng.nextInt(11);
            }
            for (int r = 0; r < SIDE; r++) {
                int k = bandOf(r);
                boolean inBar = k >= 0 && band[k];
                for (int c = 0; c < SIDE; c++) {
                    double v = 60 * rng.nextDouble();
                    if (inBar && c >= offset[k] && c < offset[k] + 14) {
                        v += 150;
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

    /** The band (0..9) whose two rows, from 2 + ⌊2.5k⌋, hold row r; -1 between bands. */
    private static int bandOf(int r) {
        for (int k = 0; k < 10; k++) {
            int top = 2 + (int) (2.5 * k);
            if (r >= top && r < top + 2) {
                return k;
            }
        }
        return -1;
    }
}
