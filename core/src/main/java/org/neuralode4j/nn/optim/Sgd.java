package org.neuralode4j.nn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.tensor.Tensor;

/**
 * Stochastic gradient descent with the semantics of {@code torch.optim.SGD} (no dampening):
 * <pre>
 *   g ← g + λ·θ
 *   buf ← g on the first step, else μ·buf + g        (only when μ &gt; 0)
 *   d ← g + μ·buf if nesterov, else buf               (d = g when μ = 0)
 *   θ ← θ − lr·d
 * </pre>
 */
public final class Sgd implements Optimizer {
    private static final String NAME = "Sgd";

    private final Config config;
    private double lr;
    private final Map<Parameter, double[]> buffers = new IdentityHashMap<>();
    private final Scratch scratch = new Scratch();

    /** Momentum μ ∈ [0, 1), weight decay λ ≥ 0, Nesterov (requires μ &gt; 0). */
    public record Config(double momentum, double weightDecay, boolean nesterov) {
        /** Plain gradient descent. */
        public static final Config PLAIN = new Config(0.0, 0.0, false);

        public Config {
            Steps.checkRange(NAME, "momentum", momentum, 0.0, 1.0);
            Steps.checkRange(NAME, "weightDecay", weightDecay, 0.0, Double.POSITIVE_INFINITY);
            if (nesterov && momentum == 0.0) {
                throw new NeuralOdeException(NAME + ": Nesterov momentum requires momentum > 0");
            }
        }
    }

    /** Plain gradient descent θ ← θ − lr·g. */
    public Sgd(double lr) {
        this(lr, Config.PLAIN);
    }

    public Sgd(double lr, double momentum, double weightDecay, boolean nesterov) {
        this(lr, new Config(momentum, weightDecay, nesterov));
    }

    public Sgd(double lr, Config config) {
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
        buffers.remove(p);
    }

    @Override
    @SuppressWarnings("try") // the scope is used only for its close()
    public void step(List<Parameter> params, List<Tensor> grads) {
        Steps.checkGradients(NAME, params, grads);
        double mu = config.momentum();
        double wd = config.weightDecay();
        boolean nesterov = config.nesterov();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                Tensor g = grads.get(i);
                Tensor theta = p.value();
                int n = theta.size();
                double[] out = scratch.get(n);
                double[] buf = mu == 0.0 ? null : buffers.get(p);
                boolean first = buf == null;
                if (mu != 0.0 && first) {
                    buf = new double[n];
                    buffers.put(p, buf);
                }
                for (int k = 0; k < n; k++) {
                    double w = theta.getFlat(k);
                    double d = g.getFlat(k) + wd * w;
                    if (buf != null) {
                        buf[k] = first ? d : mu * buf[k] + d;
                        d = nesterov ? d + mu * buf[k] : buf[k];
                    }
                    out[k] = w - lr * d;
                }
                p.set(scratch.tensor(theta.dtype(), theta.shape()));
            }
        }
    }
}
