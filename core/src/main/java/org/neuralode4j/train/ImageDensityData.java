package org.neuralode4j.train;

import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.DensityEvaluation;
import org.neuralode4j.cnf.ImageTransforms;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Images as the input of a flow (cnf.md §3.3): integer pixels reduced to {@code nbits}, dequantised with fresh
 * uniform noise for each training batch (½ in evaluation), and mapped by the logit transform, which has no
 * parameters: the flow models y = logit(α + (1 − 2α)x), and the transform's log-determinant enters only the
 * reported bits per dimension, never the gradient.
 *
 * @param images the images (pixels 0..255)
 * @param nbits  bits per pixel kept (8: all)
 * @param alpha  the logit's α (1e-5 for MNIST)
 */
public record ImageDensityData(ImageSet images, int nbits, double alpha) {
    public ImageDensityData {
        if (images == null) {
            throw new ConfigException("image density data: no images");
        }
        ImageTransforms.reduceBits(Tensor.of(new double[] {0}, 1, 1), nbits); // checks nbits
        if (!(alpha >= 0 && alpha < 0.5)) {
            throw ConfigException.of("alpha", alpha, "must be in [0, 0.5)");
        }
    }

    /** D = height·width, the flow's dimension. */
    public int dim() {
        return images.features();
    }

    /** The integer pixels of the given images reduced to nbits, [n, D]. */
    Tensor reduced(int[] idx) {
        int d = dim();
        double[] v = new double[idx.length * d];
        for (int k = 0; k < idx.length; k++) {
            for (int r = 0; r < images.height(); r++) {
                for (int c = 0; c < images.width(); c++) {
                    v[k * d + r * images.width() + c] = images.pixel(idx[k], r, c);
                }
            }
        }
        return ImageTransforms.reduceBits(Tensor.of(v, idx.length, d), nbits);
    }

    /**
     * Training batches of y: consecutive slices of a fresh permutation (reshuffled when too few unused images remain),
     * each dequantised with its own uniform noise. Seeded: two streams with the same seed give the same batches.
     */
    public BatchStream training(long seed) {
        ShuffledIndices batches = new ShuffledIndices(images.size(), Rng.seeded(seed));
        Rng noise = Rng.seeded(seed ^ 0x5DEECE66DL);
        return n -> {
            int[] idx = batches.next(n, "image set");
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                return ImageTransforms.logit(ImageTransforms.dequantise(reduced(idx), nbits, noise), alpha).detach();
            }
        };
    }

    /**
     * Clean bits per dimension of the whole set (u = ½, cnf.md §3.3): per image nbits − (log p_y(y) + log|dy/dx|)/(D ln 2),
     * with log p_y from the flow's evaluation solve (Hutchinson for D above the exact-trace threshold, one draw per
     * chunk from {@code noise}) in chunks of {@code chunk} images.
     */
    public BitsPerDim bitsPerDim(ContinuousFlow flow, SolverConfig solver, Rng noise, int chunk) {
        int n = images.size();
        int[] all = new int[n];
        java.util.Arrays.setAll(all, i -> i);
        Tensor y;
        double[] logDet;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor x = ImageTransforms.dequantise(reduced(all), nbits, null);
            y = ImageTransforms.logit(x, alpha).detach();
            logDet = ImageTransforms.logitLogDet(x, alpha).toArray();
        }
        DensityEvaluation ev = flow.evaluate(y, solver, noise, chunk);
        double[] bpd = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            bpd[i] = nbits - (ev.logDensities()[i] + logDet[i]) / (dim() * Math.log(2));
            mean += bpd[i] / n;
        }
        double ss = 0;
        for (double b : bpd) {
            ss += (b - mean) * (b - mean);
        }
        return new BitsPerDim(mean, n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN, ev.nfe(), ev.estimator());
    }

    /**
     * @param mean      mean clean bits per dimension
     * @param se        its standard error over the images
     * @param nfe       evaluation NFE, summed over the chunks
     * @param estimator the divergence estimator used
     */
    public record BitsPerDim(double mean, double se, long nfe, String estimator) {}
}
