package org.neuralode4j.train;

import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.ode.ConfigException;

/**
 * How to train a continuous normalising flow by maximum likelihood (cnf.md §3.2, §3.5, §4.1).
 *
 * @param iterations       optimiser steps, one fresh batch each
 * @param batch            rows per batch
 * @param lr               Adam learning rate (β = (0.9, 0.999), ε = 1e-8)
 * @param weightDecay      Adam's L2 weight decay (FFJORD toys: 1e-5; W2 and RNODE: 0)
 * @param warmupIterations linear learning-rate warm-up lr·min((it + 1)/warmup, 1) (RNODE: 1000; 0 = none)
 * @param seed             the Hutchinson probes are drawn from a generator seeded seed + 200 (the model's
 *                         initialisation and the batches have their own seeds, chosen by the caller)
 * @param solve            solver, gradient method, divergence and RNODE channels of each training pass
 */
public record DensityTrainConfig(int iterations, int batch, double lr, double weightDecay, int warmupIterations, long seed,
                                 CnfSolve solve) {
    public DensityTrainConfig {
        if (iterations < 1) {
            throw ConfigException.of("iterations", iterations, "must be >= 1");
        }
        if (batch < 1) {
            throw ConfigException.of("batch", batch, "must be >= 1");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw ConfigException.of("lr", lr, "must be positive and finite");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw ConfigException.of("weightDecay", weightDecay, "must be >= 0 and finite");
        }
        if (warmupIterations < 0) {
            throw ConfigException.of("warmupIterations", warmupIterations, "must be >= 0");
        }
        if (solve == null) {
            throw new ConfigException("density training: the solve settings are required");
        }
    }

    /**
     * W2 (workloads.md §2): 300 iterations of 512, Adam lr 1e-3 without weight decay or warm-up, torchdiffeq dopri5
     * at 1e-5, BACKSOLVE_ADJOINT (compatible configuration), the given divergence and channels.
     */
    public static DensityTrainConfig w2(Divergence divergence, RnodeChannels channels, long seed) {
        return new DensityTrainConfig(300, 512, 1e-3, 0.0, 0, seed, CnfSolve.w2(divergence, channels));
    }

    public DensityTrainConfig withIterations(int n) {
        return new DensityTrainConfig(n, batch, lr, weightDecay, warmupIterations, seed, solve);
    }

    public DensityTrainConfig withBatch(int n) {
        return new DensityTrainConfig(iterations, n, lr, weightDecay, warmupIterations, seed, solve);
    }

    public DensityTrainConfig withLr(double v) {
        return new DensityTrainConfig(iterations, batch, v, weightDecay, warmupIterations, seed, solve);
    }

    public DensityTrainConfig withWeightDecay(double v) {
        return new DensityTrainConfig(iterations, batch, lr, v, warmupIterations, seed, solve);
    }

    public DensityTrainConfig withWarmup(int n) {
        return new DensityTrainConfig(iterations, batch, lr, weightDecay, n, seed, solve);
    }

    public DensityTrainConfig withSolve(CnfSolve s) {
        return new DensityTrainConfig(iterations, batch, lr, weightDecay, warmupIterations, seed, s);
    }
}
