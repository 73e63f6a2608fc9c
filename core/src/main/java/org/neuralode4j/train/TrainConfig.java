package org.neuralode4j.train;

import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.Regulariser;
import java.util.List;

/**
 * How to train a classifier: epochs, batch size, Adam learning rate, seed (batch order uses seed + 100, as W1;
 * Hutchinson noise seed + 200), the solver, the gradient method and the regularisers with whether their channels
 * join step control (default: they do not, regularisers.md §2.3), and the number of data-parallel shards each
 * batch is split into (one per thread; see {@link DataParallel}; default 1).
 */
public record TrainConfig(int epochs, int batch, double lr, long seed, SolverConfig solver, GradientMethod method,
                          List<Regulariser> regularisers, boolean regularisersInStepControl, int shards) {
    /** Unregularised training. */
    public TrainConfig(int epochs, int batch, double lr, long seed, SolverConfig solver, GradientMethod method) {
        this(epochs, batch, lr, seed, solver, method, List.of(), false);
    }

    /** Training on one thread. */
    public TrainConfig(int epochs, int batch, double lr, long seed, SolverConfig solver, GradientMethod method,
                       List<Regulariser> regularisers, boolean regularisersInStepControl) {
        this(epochs, batch, lr, seed, solver, method, regularisers, regularisersInStepControl, 1);
    }

    /** The same training split into {@code n} data-parallel shards. */
    public TrainConfig withShards(int n) {
        return new TrainConfig(epochs, batch, lr, seed, solver, method, regularisers, regularisersInStepControl, n);
    }

    public TrainConfig {
        regularisers = regularisers == null ? List.of() : List.copyOf(regularisers);
        if (epochs < 1) {
            throw ConfigException.of("epochs", epochs, "must be >= 1");
        }
        if (batch < 1) {
            throw ConfigException.of("batch", batch, "must be >= 1");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw ConfigException.of("lr", lr, "must be positive and finite");
        }
        if (shards < 1) {
            throw ConfigException.of("threads", shards, "must be >= 1");
        }
        if (solver == null || method == null) {
            throw new ConfigException("train config: solver and gradient method are required");
        }
    }
}
