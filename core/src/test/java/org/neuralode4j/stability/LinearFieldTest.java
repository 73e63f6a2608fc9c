package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** stability.md §6 T-9: with σ = identity (D = I), after STABILISE ‖exp(T(A + Δ))‖₂ ≤ exp((δ + τ)T). */
class LinearFieldTest {

    @Test
    void t9ExponentialBoundHoldsAfterStabilisation() {
        Random r = new Random(9);
        int n = 4;
        for (double delta : new double[] {0.3, 0, -0.5}) {
            double[] a = Instances.gaussian(r, n, 1);
            DenseBlock block = new DenseBlock(n, a, new double[n], FieldActivation.IDENTITY);
            StateCollector states = b -> {
                double[][] x = new double[11][n];
                Random s = new Random(90);
                for (double[] row : x) {
                    for (int i = 0; i < n; i++) {
                        row[i] = s.nextGaussian();
                    }
                }
                return x;
            };
            StabilityOptions opt = StabilityOptions.defaults(delta);
            StabilisationResult res = new Stabiliser(opt).run(block, states, false);
            assertTrue(res.satisfied());
            double t = 1;
            double norm = Instances.spectralNorm(Instances.expm(SquareMatrices.scaled(t, res.stabilised())));
            assertTrue(norm <= Math.exp((delta + opt.tau()) * t), "delta " + delta + ": " + norm);
            assertTrue(res.frobenius() > 0);
        }
    }
}
