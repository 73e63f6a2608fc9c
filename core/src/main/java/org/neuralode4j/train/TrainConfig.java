package org.neuralode4j.train;

import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;

/**
 * How to train a classifier: epochs, batch size, Adam learning rate, seed (batch order uses seed + 100, as W1),
 * the solver and the gradient method.
 */
public record TrainConfig(int epochs, int batch, double lr, long seed, SolverConfig solver, GradientMethod method) {
    public TrainConfig {
        if (epochs < 1) {
            throw ConfigException.of("epochs", epochs, "must be >= 1");
        }
        if (batch < 1) {
            throw ConfigException.of("batch", batch, "must be >= 1");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw ConfigException.of("lr", lr, "must be positive and finite");
        }
        if (solver == null || method == null) {
            throw new ConfigException("train config: solver and gradient method are required");
        }
    }
}
