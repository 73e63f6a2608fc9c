package org.neuralode4j.train;

import java.util.Arrays;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Rng;

/**
 * Which rows of a fixed set each mini-batch takes: consecutive slices of a random permutation, reshuffled whenever
 * fewer than n unused rows remain (each epoch drops its remainder, as the classifier trainer does). The batch
 * streams of tabular data and of images share it.
 */
final class ShuffledIndices {
    private final Rng rng;
    private final int rows;
    private int[] perm;
    private int at;

    ShuffledIndices(int rows, Rng rng) {
        this.rows = rows;
        this.rng = rng;
        this.perm = rng.permutation(rows);
    }

    /** The row indices of the next batch of n. */
    int[] next(int n, String what) {
        if (n > rows) {
            throw ConfigException.of("batch", n, "is larger than the " + what + " (" + rows + " rows)");
        }
        if (at + n > rows) {
            perm = rng.permutation(rows);
            at = 0;
        }
        int[] idx = Arrays.copyOfRange(perm, at, at + n);
        at += n;
        return idx;
    }
}
