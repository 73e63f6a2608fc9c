package org.neuralode4j.cnf;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The latent distribution p_base at t = T of a continuous normalising flow (cnf.md §1.3). The library's only
 * built-in is the standard normal N(0, I); the interface exists so that the flow does not hard-code it.
 */
public interface BaseDistribution {
    /** log p_base(z) per sample, [B, 1], recorded (the likelihood's gradient flows through it). */
    Tensor logDensity(Tensor z);

    /** n independent draws, [n, dim]. */
    Tensor sample(Rng rng, int n, int dim);

    /** N(0, I): log p(z) = −(D/2)·ln(2π) − ½‖z‖². */
    static BaseDistribution standardNormal() {
        return StandardNormal.INSTANCE;
    }

    /** The standard normal; a singleton. */
    enum StandardNormal implements BaseDistribution {
        INSTANCE;

        private static final double LOG_2PI = Math.log(2 * Math.PI);

        @Override
        public Tensor logDensity(Tensor z) {
            int d = z.size() / z.dim(0);
            return Ops.affine(Ops.sum(Ops.square(z), true, 1), -0.5, -0.5 * d * LOG_2PI);
        }

        @Override
        public Tensor sample(Rng rng, int n, int dim) {
            return rng.normal(n, dim);
        }

        @Override
        public String toString() {
            return "N(0, I)";
        }
    }
}
