package org.neuralode4j.train;

import org.neuralode4j.data.Toys2d;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * A source of training batches for density estimation: each call returns the next batch, [n, D]. Streams are
 * seeded and deterministic, so two runs with the same seed see the same batches.
 */
@FunctionalInterface
public interface BatchStream {
    /** The next batch of n rows. */
    Tensor next(int n);

    /**
     * Fresh samples of a 2-D density toy every call (workloads.md §2: "a fresh batch each iteration from one
     * stream"): one generator seeded {@code seed} hands each batch its own seed, and the batch is
     * {@code Toys2d.sample(name, n, thatSeed)}.
     *
     * @throws org.neuralode4j.data.DataException for an unknown data set (checked here, not at the first batch)
     */
    static BatchStream toy(String name, long seed) {
        Toys2d.sample(name, 1, seed);
        Rng stream = Rng.seeded(seed);
        return n -> Toys2d.sample(name, n, stream.nextLong());
    }

    /**
     * Mini-batches of a fixed set (tabular data): consecutive slices of a fresh random permutation, reshuffled
     * whenever fewer than n unused rows remain (each epoch drops its remainder, as the classifier trainer does).
     */
    static BatchStream shuffled(Tensor data, long seed) {
        if (data.rank() != 2 || data.dim(0) < 1) {
            throw ConfigException.of("data", data.shape(), "need [rows, D] with at least one row");
        }
        ShuffledIndices batches = new ShuffledIndices(data.dim(0), Rng.seeded(seed));
        int d = data.dim(1);
        double[] values = data.toArray();
        return n -> {
            int[] idx = batches.next(n, "data set");
            double[] out = new double[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(values, idx[i] * d, out, i * d, d);
            }
            return Tensor.of(out, n, d);
        };
    }
}
