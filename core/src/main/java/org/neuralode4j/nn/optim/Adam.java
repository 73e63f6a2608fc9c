package org.neuralode4j.nn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.tensor.Tensor;

/**
 * Adam with the exact semantics of {@code torch.optim.Adam} (amsgrad off), the optimiser of every workload in
 * the spec. Per parameter, at step t (counted per parameter, from 1):
 * <pre>
 *   g ← g + λ·θ                            (weight decay as L2 on the gradient, not AdamW)
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * (ε is added after the bias correction of v, as PyTorch does.) The moments are kept in float64 whatever the
 * parameters' dtype; a float32 parameter receives the float64 update rounded once to float.
 */
public final class Adam implements Optimizer {
    private static final String NAME = "Adam";

    private final Config config;
    private double lr;
    private final Map<Parameter, State> states = new IdentityHashMap<>();
    private final Scratch scratch = new Scratch();

    /** Hyper-parameters other than the learning rate, which schedules may change. */
    public record Config(double beta1, double beta2, double eps, double weightDecay) {
        /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
        public static final Config DEFAULT = new Config(0.9, 0.999, 1e-8, 0.0);

        public Config {
            Steps.checkRange(NAME, "beta1", beta1, 0.0, 1.0);
            Steps.checkRange(NAME, "beta2", beta2, 0.0, 1.0);
            Steps.checkRange(NAME, "eps", eps, 0.0, Double.POSITIVE_INFINITY);
            Steps.checkRange(NAME, "weightDecay", weightDecay, 0.0, Double.POSITIVE_INFINITY);
        }

        /** This configuration with another weight decay. */
        public Config withWeightDecay(double wd) {
            return new Config(beta1, beta2, eps, wd);
        }
    }

    private static final class State {
        final double[] m;
        final double[] v;
        int step;

        State(int n) {
            m = new double[n];
            v = new double[n];
        }
    }

    /** Adam with PyTorch's default β, ε and no weight decay. */
    public Adam(double lr) {
        this(lr, Config.DEFAULT);
    }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(lr, new Config(beta1, beta2, eps, weightDecay));
    }

    public Adam(double lr, Config config) {
        this.lr = Steps.checkLearningRate(NAME, lr);
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = Steps.checkLearningRate(NAME, lr);
    }

    @Override
    public void resetState(Parameter p) {
        states.remove(p);
    }

    /** Steps taken so far for {@code p} (0 before its first update or after a reset). */
    public int stepCount(Parameter p) {
        State s = states.get(p);
        return s == null ? 0 : s.step;
    }

    @Override
    @SuppressWarnings("try") // the scope is used only for its close()
    public void step(List<Parameter> params, List<Tensor> grads) {
        Steps.checkGradients(NAME, params, grads);
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.eps();
        double wd = config.weightDecay();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                Tensor g = grads.get(i);
                Tensor theta = p.value();
                State s = states.computeIfAbsent(p, k -> new State(theta.size()));
                s.step++;
                double stepSize = lr / (1.0 - StrictMath.pow(b1, s.step));
                double bc2Sqrt = Math.sqrt(1.0 - StrictMath.pow(b2, s.step));
                double[] m = s.m;
                double[] v = s.v;
                double[] out = scratch.get(theta.size());
                for (int k = 0; k < theta.size(); k++) {
                    double w = theta.getFlat(k);
                    double gk = g.getFlat(k) + wd * w;
                    m[k] = b1 * m[k] + (1.0 - b1) * gk;
                    v[k] = b2 * v[k] + (1.0 - b2) * gk * gk;
                    out[k] = w - stepSize * m[k] / (Math.sqrt(v[k]) / bc2Sqrt + eps);
                }
                p.set(scratch.tensor(theta.dtype(), theta.shape()));
            }
        }
    }
}
