package org.neuralode4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.EndTime;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.SyntheticImages;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Images as flow input (cnf.md §3.3): dequantised logit batches, and clean bits/dim against a closed form. */
class ImageDensityDataTest {
    private static final double ALPHA = 1e-5;

    private static ImageSet images() {
        return SyntheticImages.bars(12, 10, 3).meanPool2();
    }

    /** x = (sig(y) − α)/(1 − 2α), the dequantised pixel in [0, 1). */
    private static double pixelOf(double y) {
        return (1 / (1 + Math.exp(-y)) - ALPHA) / (1 - 2 * ALPHA);
    }

    @Test
    void trainingBatchesAreDequantisedLogitsOfTheImagesAndSeeded() {
        ImageDensityData data = new ImageDensityData(images(), 8, ALPHA);
        BatchStream a = data.training(4);
        Tensor y = a.next(5);
        assertEquals(List.of(5, data.dim()), List.of(y.dim(0), y.dim(1)));
        // Every entry is (an image's pixel + u)/256 with u in [0, 1): 256·x − u is an integer 0..255.
        int integers = 0;
        for (double v : y.toArray()) {
            double scaled = 256 * pixelOf(v);
            double frac = scaled - Math.floor(scaled);
            assertTrue(scaled >= 0 && scaled < 256, "in [0, 256): " + scaled);
            integers += frac < 1e-9 ? 1 : 0;
        }
        assertTrue(integers < y.size() / 10, "the noise is fresh, not ½ or 0");
        assertArrayEquals(y.toArray(), data.training(4).next(5).toArray(), "same seed, same batch");
        assertFalse(java.util.Arrays.equals(y.toArray(), a.next(5).toArray()), "the next batch differs");
    }

    @Test
    void bitsPerDimOfTheIdentityFlowIsTheGaussianDensityOfTheLogits() {
        ImageDensityData data = new ImageDensityData(images(), 8, ALPHA);
        int d = data.dim();
        ContinuousFlow flow = ContinuousFlow.build(new CnfSpec(d, List.of(8), Activation.SOFTPLUS,
                TimeInput.CONCAT_SQUASH, 1, EndTime.fixed(1.0), false), Rng.seeded(1));
        for (Parameter p : flow.parameters()) {
            p.set(Tensor.zeros(p.dtype(), p.shape())); // f ≡ 0: z(T) = y and the trace is 0
        }
        SolverConfig solver = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-5, 1e-5));
        ImageDensityData.BitsPerDim r = data.bitsPerDim(flow, solver, Rng.seeded(2), 5);
        // Independently: clean x = (p + ½)/256, y = logit(α + (1 − 2α)x), log p(x) = log N(y; 0, I) + Σ log|dy/dx|.
        ImageSet s = images();
        double mean = 0;
        for (int i = 0; i < s.size(); i++) {
            double logp = 0;
            for (int r0 = 0; r0 < s.height(); r0++) {
                for (int c = 0; c < s.width(); c++) {
                    double x = (s.pixel(i, r0, c) + 0.5) / 256;
                    double u = ALPHA + (1 - 2 * ALPHA) * x;
                    double y = Math.log(u) - Math.log(1 - u);
                    logp += -0.5 * y * y - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 2 * ALPHA) - Math.log(u * (1 - u));
                }
            }
            mean += (8 - logp / (d * Math.log(2))) / s.size();
        }
        assertEquals(mean, r.mean(), 1e-9);
        assertTrue(r.nfe() > 0);
    }
}
