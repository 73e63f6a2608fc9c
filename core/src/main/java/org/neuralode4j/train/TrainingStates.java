package org.neuralode4j.train;

import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledRows;
import org.neuralode4j.models.LogNormClassifier;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.stability.DenseBlock;
import org.neuralode4j.stability.StabilityException;
import org.neuralode4j.stability.StateCollector;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Constraint states on training trajectories, De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md}
 * §2.3 steps 1–3: N_c training inputs drawn once (seeded, without replacement), run through the encoder and the
 * block with the A under test, and read at t_j = jT/M, j = 0..M — with the default fixed-step RK4 of M steps these
 * are exactly the step states. K = N_c(M + 1) states, ordered time-major (k = j·N_c + b).
 */
public final class TrainingStates implements StateCollector {
    private final LogNormClassifier model;
    private final Tensor inputs;
    private final double[] times;
    private final SolverConfig solver;

    /**
     * @param model   the classifier (its A is set to the block's A for each collection and restored afterwards)
     * @param train   the training set
     * @param samples N_c (capped at the set's size)
     * @param grid    M
     * @param seed    the draw's seed
     * @param solver  the model's solver settings
     */
    public TrainingStates(LogNormClassifier model, LabelledRows train, int samples, int grid, long seed,
                          SolverConfig solver) {
        if (train.size() == 0) {
            throw new StabilityException(StabilityException.Kind.NO_STATES,
                    "no constraint states: the training set is empty");
        }
        this.model = model;
        int[] idx = Arrays.copyOf(Rng.seeded(seed).permutation(train.size()), Math.min(samples, train.size()));
        this.inputs = train.rows(idx).x();
        this.times = new double[grid + 1];
        for (int j = 0; j <= grid; j++) {
            times[j] = (double) j / grid;
        }
        times[grid] = 1.0;
        this.solver = solver;
    }

    @Override
    public double[][] collect(DenseBlock block) {
        double[] saved = model.denseBlock().a();
        model.setBlockMatrix(block.a());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution s = Ode.solve(model.dynamics(), List.of(model.initialState(inputs)), times, solver);
            int batch = inputs.dim(0);
            int n = block.n();
            double[][] out = new double[times.length * batch][];
            for (int j = 0; j < times.length; j++) {
                double[] z = s.state(j).get(0).toArray();
                for (int b = 0; b < batch; b++) {
                    out[j * batch + b] = Arrays.copyOfRange(z, b * n, (b + 1) * n);
                }
            }
            return out;
        } finally {
            model.setBlockMatrix(saved);
        }
    }
}
