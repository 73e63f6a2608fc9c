package org.neuralode4j.cnf;

import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Distribution of a Hutchinson probe ε (cnf.md §2.2, regularisers.md §2.5): i.i.d. entries with mean 0 and
 * variance 1, so that E[εᵀMε] = tr M for any M. Rademacher is never worse than Gaussian and is exact when M is
 * diagonal (in particular for D = 1).
 */
public enum ProbeNoise {
    /** N(0, 1) entries: the library default, RNODE's and W1/W2's choice. */
    GAUSSIAN,
    /** ±1 with probability ½ each: FFJORD's image default. */
    RADEMACHER;

    /** One probe per sample, [rows, dim], drawn from {@code rng}. */
    public Tensor draw(Rng rng, int rows, int dim) {
        return this == GAUSSIAN ? rng.normal(rows, dim) : rng.rademacher(rows, dim);
    }
}
