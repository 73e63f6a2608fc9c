package org.neuralode4j.nn;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Parameter initialisation, matching PyTorch's defaults so that runs can be compared with reference
 * implementations (regularisers.md §6.3, workloads.md "Initialisation").
 *
 * <p>Every weight and bias of a layer is drawn from U(−1/√fan_in, 1/√fan_in), where fan_in is the number of
 * inputs that feed one output: n for a linear layer, k·k·C for a k×k convolution over C channels, n + 1 for a
 * CONCAT layer, and 1 for the ConcatSquash gate and time shift (so U(−1, 1)). (PyTorch draws weights with
 * kaiming_uniform(a = √5), which has the same bound.)
 */
public final class Init {
    private Init() {}

    /** 1/√fanIn, the half-width of the default uniform initialisation. */
    public static double bound(int fanIn) {
        if (fanIn < 1) {
            throw new NeuralOdeException("Init: fan_in must be >= 1, got " + fanIn);
        }
        return 1.0 / Math.sqrt(fanIn);
    }

    /** A tensor of the given shape drawn from U(−1/√fanIn, 1/√fanIn). */
    public static Tensor uniform(Rng rng, int fanIn, int... dims) {
        double b = bound(fanIn);
        return rng.uniform(-b, b, dims);
    }

    /**
     * Zeros every weight array of {@code layer} and keeps its biases (parameters whose last name segment is
     * {@code bias}): the zeroLast option, which makes the initial field constant (J ≡ 0) while the biases keep
     * their random values.
     */
    public static void zeroWeights(Parameterized layer) {
        for (Parameter p : layer.parameters()) {
            if (!isBias(p)) {
                p.set(Tensor.zeros(p.shape()));
            }
        }
    }

    /** True for parameters named {@code bias} or {@code *.bias}. */
    public static boolean isBias(Parameter p) {
        String n = p.name();
        return n.equals("bias") || n.endsWith(".bias");
    }
}
