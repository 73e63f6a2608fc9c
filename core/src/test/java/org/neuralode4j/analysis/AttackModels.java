package org.neuralode4j.analysis;

import java.util.function.Function;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Small fixed models and data shared by the attack and margin tests. */
final class AttackModels {
    private AttackModels() {}

    /** The binary linear classifier g(u) = wᵀu + b, logits [B, 1]. */
    static Function<Tensor, Tensor> linear(double[] w, double b) {
        Tensor wt = Tensor.of(w, 1, w.length);
        Tensor bt = Tensor.vector(b);
        return x -> Ops.linear(x, wt, bt);
    }

    /** g(u) for the linear model, in plain arithmetic. */
    static double linearLogit(double[] w, double b, double[] u) {
        double g = b;
        for (int i = 0; i < w.length; i++) {
            g += w[i] * u[i];
        }
        return g;
    }

    /** A binary tanh MLP 2 → hidden → 1 with fixed random weights. */
    static Function<Tensor, Tensor> tanhMlp(int hidden, long seed) {
        Rng rng = Rng.seeded(seed);
        Tensor w1 = rng.normal(0.0, 1.5, hidden, 2);
        Tensor b1 = rng.normal(0.0, 0.5, hidden);
        Tensor w2 = rng.normal(0.0, 1.0, 1, hidden);
        Tensor b2 = rng.normal(0.0, 0.1, 1);
        return x -> Ops.linear(Ops.tanh(Ops.linear(x, w1, b1)), w2, b2);
    }

    static double norm1(double[] w) {
        double s = 0.0;
        for (double v : w) {
            s += Math.abs(v);
        }
        return s;
    }

    static double norm2(double[] w) {
        double s = 0.0;
        for (double v : w) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
