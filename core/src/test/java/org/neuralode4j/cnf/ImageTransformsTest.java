package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** cnf.md §6.5 "Logit": ln|dy/dx| against finite differences, the inverse, and bits/dim against a direct evaluation. */
class ImageTransformsTest {
    @Test
    void logitLogDeterminantMatchesFiniteDifferences() {
        double alpha = 0.05;
        Tensor x = Rng.seeded(1).uniform(0.01, 0.99, 3, 4);
        double[] logDet = ImageTransforms.logitLogDet(x, alpha).toArray();
        double h = 1e-6;
        for (int b = 0; b < 3; b++) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double v = x.getFlat(b * 4 + i);
                double yp = ImageTransforms.logit(Tensor.of(new double[] {v + h}, 1, 1), alpha).item();
                double ym = ImageTransforms.logit(Tensor.of(new double[] {v - h}, 1, 1), alpha).item();
                sum += Math.log(Math.abs((yp - ym) / (2 * h)));
            }
            assertEquals(sum, logDet[b], 1e-7);
        }
        Tensor back = ImageTransforms.logitInverse(ImageTransforms.logit(x, alpha), alpha);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.getFlat(i), back.getFlat(i), 1e-12);
        }
    }

    @Test
    void logitOnlyModelGivesThePerPixelBitsPerDim() {
        // A "model" made of the logit layer only, with a standard-normal base on y: log p(x) = log N(y) + Σ ln|dy/dx|
        // (ℓ = −Σ ln|dy/dx|, log p = log N(y) − ℓ). Its bits/dim equals the per-pixel formula evaluated directly.
        int nbits = 8;
        double alpha = 1e-5;
        Tensor pixels = Tensor.of(new double[] {0, 17, 128, 255, 3, 200, 64, 90}, 2, 4);
        Tensor x = ImageTransforms.dequantise(ImageTransforms.reduceBits(pixels, nbits), nbits, null);
        Tensor logp = org.neuralode4j.autodiff.ops.Ops.add(BaseDistribution.standardNormal().logDensity(
                ImageTransforms.logit(x, alpha)), ImageTransforms.logitLogDet(x, alpha));
        double bpd = ImageTransforms.bitsPerDim(logp, 4, nbits).item();
        double total = 0;
        for (int i = 0; i < 8; i++) {
            double xi = (pixels.getFlat(i) + 0.5) / 256;
            double s = alpha + (1 - 2 * alpha) * xi;
            double y = Math.log(s) - Math.log(1 - s);
            double logDensity = -0.5 * Math.log(2 * Math.PI) - 0.5 * y * y + Math.log(1 - 2 * alpha) - Math.log(s * (1 - s));
            total += logDensity;
        }
        double expected = nbits - (total / 2) / (4 * Math.log(2));
        assertEquals(expected, bpd, 1e-12);
        assertEquals(List.of(0.0, 2.0), List.of(ImageTransforms.reduceBits(Tensor.of(new double[] {7, 191}, 1, 2), 3).getFlat(0),
                ImageTransforms.reduceBits(Tensor.of(new double[] {7, 95}, 1, 2), 3).getFlat(1)));
        assertThrows(org.neuralode4j.ode.ConfigException.class, () -> ImageTransforms.logit(x, 0.5));
    }
}
