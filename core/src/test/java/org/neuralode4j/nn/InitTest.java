package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Default initialisation: U(−1/√fan_in, 1/√fan_in) per layer kind, its statistics, reproducibility, zeroWeights. */
class InitTest {
    /** Every value within ±bound, spread up to near both bounds, mean ≈ 0 and variance ≈ bound²/3. */
    private static void assertUniform(String what, Tensor t, double bound) {
        double[] v = t.toArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sq = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
            sq += x * x;
        }
        assertTrue(min >= -bound && max <= bound, what + ": values [" + min + ", " + max + "] outside ±" + bound);
        if (v.length >= 1000) {
            double mean = sum / v.length;
            double var = sq / v.length - mean * mean;
            double sd = bound / Math.sqrt(3);
            assertTrue(Math.abs(mean) < 5 * sd / Math.sqrt(v.length), what + ": mean " + mean);
            assertEquals(bound * bound / 3, var, 0.05 * bound * bound / 3, what + ": variance");
            assertTrue(min < -0.99 * bound && max > 0.99 * bound, what + ": range [" + min + ", " + max + "]");
        }
    }

    @Test
    void linearUsesFanIn() {
        Linear l = new Linear(400, 300, true, Rng.seeded(1));
        assertUniform("Linear weight", l.weight().value(), 1 / Math.sqrt(400));
        assertUniform("Linear bias", l.bias().orElseThrow().value(), 1 / Math.sqrt(400));
    }

    @Test
    void convUsesKernelAreaTimesChannels() {
        Conv2d c = new Conv2d(16, 64, 3, 1, 1, true, Rng.seeded(2));
        double b = 1 / Math.sqrt(3 * 3 * 16);
        assertUniform("Conv2d weight", c.weight().value(), b);
        assertUniform("Conv2d bias", c.bias().orElseThrow().value(), b);
        ConcatConv2d cc = new ConcatConv2d(16, 64, 3, 1, 1, Rng.seeded(3));
        assertUniform("ConcatConv2d weight", cc.weight().value(), 1 / Math.sqrt(3 * 3 * 17));
    }

    @Test
    void timeLayersUseTheirFanIns() {
        ConcatSquashLinear cs = new ConcatSquashLinear(100, 2000, Rng.seeded(4));
        assertUniform("ConcatSquash W", cs.weight().value(), 0.1);
        assertUniform("ConcatSquash b", cs.bias().value(), 0.1);
        assertUniform("ConcatSquash w_g", cs.gateWeight().value(), 1.0);
        assertUniform("ConcatSquash b_g", cs.gateBias().value(), 1.0);
        assertUniform("ConcatSquash w_b", cs.shift().value(), 1.0);
        ConcatLinear c = new ConcatLinear(99, 50, Rng.seeded(5));
        assertUniform("Concat W'", c.weight().value(), 0.1);
        assertUniform("Concat b", c.bias().value(), 0.1);
    }

    @Test
    void sameSeedSameWeights() {
        List<Parameter> a = Mlp.of(List.of(3, 8, 2), Activation.TANH, Rng.seeded(6)).parameters();
        List<Parameter> b = Mlp.of(List.of(3, 8, 2), Activation.TANH, Rng.seeded(6)).parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().toArray(), b.get(i).value().toArray(), 0.0);
        }
    }

    @Test
    void zeroWeightsKeepsBiases() {
        ConcatSquashLinear cs = new ConcatSquashLinear(3, 4, Rng.seeded(7));
        double[] bias = cs.bias().value().toArray();
        double[] gateBias = cs.gateBias().value().toArray();
        Init.zeroWeights(cs);
        assertArrayEquals(new double[12], cs.weight().value().toArray(), 0.0);
        assertArrayEquals(new double[4], cs.gateWeight().value().toArray(), 0.0);
        assertArrayEquals(new double[4], cs.shift().value().toArray(), 0.0);
        assertArrayEquals(bias, cs.bias().value().toArray(), 0.0);
        assertArrayEquals(gateBias, cs.gateBias().value().toArray(), 0.0);
    }
}
