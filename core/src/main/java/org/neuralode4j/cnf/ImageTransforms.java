package org.neuralode4j.cnf;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The elementwise pieces of image density models (cnf.md §3.3, as FFJORD and RNODE use them): reduction to
 * {@code nbits}, dequantisation, the logit transform with its log-determinant, its inverse, and bits per
 * dimension. Pure functions on [B, D] tensors (images flattened); the logit and its log-determinant are recorded
 * so that a loss can be differentiated through them.
 *
 * <p>Sign convention (cnf.md §1.2): a layer y = g(x) in the data → latent direction updates ℓ ← ℓ − log|det ∂g/∂x|,
 * i.e. {@code ℓ = ℓ − logitLogDet(x, α)} before the CNF blocks.
 */
public final class ImageTransforms {
    private ImageTransforms() {}

    /** x_int ← ⌊x_int / 2^{8−nbits}⌋ for integer pixel values 0..255. */
    public static Tensor reduceBits(Tensor pixels, int nbits) {
        checkBits(nbits);
        double div = Math.pow(2, 8 - nbits);
        double[] v = pixels.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.floor(v[i] / div);
        }
        return Tensor.of(v, pixels.shape().dims());
    }

    /**
     * x = (x_int + u)/2^nbits with u ~ U[0, 1) per entry from {@code rng} (training), or u = ½ when {@code rng}
     * is null (the "clean" evaluation).
     */
    public static Tensor dequantise(Tensor reduced, int nbits, Rng rng) {
        checkBits(nbits);
        double scale = Math.pow(2, nbits);
        double[] v = reduced.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = (v[i] + (rng == null ? 0.5 : rng.nextDouble())) / scale;
        }
        return Tensor.of(v, reduced.shape().dims());
    }

    /** y = ln s − ln(1 − s) with s = α + (1 − 2α)x, elementwise (recorded). */
    public static Tensor logit(Tensor x, double alpha) {
        checkAlpha(alpha);
        Tensor s = Ops.affine(x, 1 - 2 * alpha, alpha);
        return Ops.sub(Ops.log(s), Ops.log(Ops.rsub(1.0, s)));
    }

    /** Σ over a sample's entries of ln|dy/dx| = ln(1 − 2α) − ln(s(1 − s)), [B, 1] (recorded). */
    public static Tensor logitLogDet(Tensor x, double alpha) {
        checkAlpha(alpha);
        Tensor s = Ops.affine(x, 1 - 2 * alpha, alpha);
        Tensor per = Ops.rsub(Math.log(1 - 2 * alpha), Ops.log(Ops.mul(s, Ops.rsub(1.0, s))));
        return Ops.sum(per, true, 1);
    }

    /** The inverse x = (sig(y) − α)/(1 − 2α) (recorded). */
    public static Tensor logitInverse(Tensor y, double alpha) {
        checkAlpha(alpha);
        return Ops.affine(Ops.sigmoid(y), 1 / (1 - 2 * alpha), -alpha / (1 - 2 * alpha));
    }

    /**
     * Bits per dimension of a batch (cnf.md §3.3): nbits − mean_b log p(x_b)/(D·ln 2), with log p the density of the
     * dequantised x on [0, 1]^D in nats (recorded, usable as the loss).
     */
    public static Tensor bitsPerDim(Tensor logp, int dim, int nbits) {
        checkBits(nbits);
        if (dim < 1) {
            throw ConfigException.of("dim", dim, "must be >= 1");
        }
        return Ops.affine(Ops.mean(logp), -1.0 / (dim * Math.log(2)), nbits);
    }

    private static void checkBits(int nbits) {
        if (nbits < 1 || nbits > 8) {
            throw ConfigException.of("nbits", nbits, "must be in 1..8");
        }
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha >= 0 && alpha < 0.5)) {
            throw ConfigException.of("alpha", alpha, "must be in [0, 0.5)");
        }
    }
}
