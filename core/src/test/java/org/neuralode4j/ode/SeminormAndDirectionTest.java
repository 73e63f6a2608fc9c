package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/** solvers.md §7.7 (seminorm) and §7.10 (reverse time). */
class SeminormAndDirectionTest {
    /** The rotating system plus an integral channel ∫‖y‖² dt that no right-hand side reads. */
    private static final Dynamics WITH_INTEGRAL = new Dynamics() {
        private final Dynamics lin = Problems.linear(Problems.ROTATING);

        @Override
        public List<Tensor> apply(double t, List<Tensor> y) {
            Tensor f = lin.apply(t, List.of(y.get(0))).get(0);
            return List.of(f, Ops.sum(Ops.square(y.get(0)), true, 1));
        }
    };

    @Test
    void maskedIntegralChannelLeavesStepsBitIdentical() {
        StepControl sc = StepControl.of(1e-6, 1e-6);
        Tensor z0 = Tensor.of(new double[] {1, 0}, 1, 2);
        Solution plain = Ode.solve(Problems.linear(Problems.ROTATING), z0, 0, 10, SolverConfig.adaptive(Dopri5.TABLEAU, sc));
        Solution masked = Ode.solve(WITH_INTEGRAL, List.of(z0, Tensor.zeros(1, 1)), new double[] {0, 10},
                SolverConfig.adaptive(Dopri5.TABLEAU, sc.withCounted(true, false)));
        assertEquals(plain.stats().attempts(), masked.stats().attempts());
        assertArrayEquals(plain.last(0).toArray(), masked.last(0).toArray(), 0.0);
        assertArrayEquals(flat(plain.stepSequence()), flat(masked.stepSequence()), 0.0);
        // ∫_0^10 e^{−0.2t} dt = 5(1 − e^{−2})
        assertEquals(5 * (1 - Math.exp(-2)), masked.last(1).item(), 1e-4);

        Solution huge = Ode.solve(WITH_INTEGRAL, List.of(z0, Tensor.zeros(1, 1)), new double[] {0, 10},
                SolverConfig.adaptive(Dopri5.TABLEAU, sc.withComponentTolerances(new double[] {1e-6, 1e20}, new double[] {1e-6, 1e20})));
        assertArrayEquals(flat(masked.stepSequence()), flat(huge.stepSequence()), 0.0, "mask vs tolerance 1e20");
    }

    private static double[] flat(double[][] s) {
        double[] out = new double[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            out[2 * i] = s[i][0];
            out[2 * i + 1] = s[i][1];
        }
        return out;
    }

    @Test
    void reverseTimeRoundTripReturnsTheStart() {
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-9, 1e-9));
        Tensor z0 = Tensor.of(new double[] {1, 0}, 1, 2);
        Dynamics f = Problems.linear(Problems.ROTATING);
        Tensor z1 = Ode.solve(f, z0, 0, 3, cfg).last(0);
        double[] exact = Problems.rotatingExact(3);
        assertEquals(exact[0], z1.getFlat(0), 1e-7);
        Tensor back = Ode.solve(f, z1, 3, 0, cfg).last(0);
        assertEquals(1.0, back.getFlat(0), 1e-7);
        assertEquals(0.0, back.getFlat(1), 1e-7);
    }

    @Test
    void reverseTimeReceivesTrueTime() {
        // y' = t on [2, 0] from y(2) = 2: y(t) = t²/2, so y(0) = 0.
        Dynamics f = Dynamics.of((t, y) -> Ops.add(Ops.mul(y, 0.0), t), true);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10)).withDense(true);
        Solution s = Ode.solve(f, List.of(Tensor.full(2.0, 1, 1)), new double[] {2, 1, 0}, cfg);
        assertEquals(0.5, s.state(1).get(0).item(), 1e-9);
        assertEquals(0.0, s.last(0).item(), 1e-9);
        assertEquals(0.5 * 0.49, s.evaluate(0.7).get(0).item(), 1e-9);
        assertEquals(0.7, s.derivative(0.7).get(0).item(), 1e-6);
        assertThrows(ConfigException.class, () -> s.evaluate(2.5));
    }
}
