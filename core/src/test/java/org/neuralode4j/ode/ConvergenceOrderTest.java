package org.neuralode4j.ode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.ode.tableau.Tableaus;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.Problems;

/**
 * solvers.md §7.2: every fixed-step method, and every embedded formula run as a fixed-step method, shows its
 * order on the rotating damped linear system (T = 50; T = 2 for Euler): the slope of log error against log h over
 * the last five refinements with error in [1e-10, 1e-3] lies within p ± 0.2.
 */
class ConvergenceOrderTest {
    static Stream<Arguments> methods() {
        List<Arguments> a = new ArrayList<>();
        for (Tableau t : Tableaus.all()) {
            a.add(Arguments.of(t.name(), t, t.order()));
            if (t.adaptive() && t.e3() == null) {
                a.add(Arguments.of(t.name() + " embedded", embedded(t), t.embeddedOrder()));
            }
            if (t.e3() != null) {
                a.add(Arguments.of(t.name() + " b-E5", embedded(t), 5));
            }
        }
        return a.stream();
    }

    /** The same method propagating b̂ = b − e. */
    static Tableau embedded(Tableau t) {
        double[] b = t.b().clone();
        for (int i = 0; i < b.length; i++) {
            b[i] -= t.e()[i];
        }
        return new Tableau(t.name() + "-embedded", t.c(), t.a(), b, null, null, t.embeddedOrder(), 0, 0, Tableau.DenseKind.HERMITE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void slopeMatchesOrder(String name, Tableau tab, int order) {
        double T = order == 1 ? 2.0 : 50.0;
        int maxSteps = order == 1 ? 400_000 : 20_000;
        double[] exact = Problems.rotatingExact(T);
        List<double[]> points = new ArrayList<>(); // {log h, log error}
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int k = 0; ; k++) {
                int n = (int) Math.round(8 * Math.pow(1.25, k));
                if (n > maxSteps) {
                    break;
                }
                Solution sol = Ode.solve(Problems.linear(Problems.ROTATING), Tensor.of(new double[] {1, 0}, 1, 2), 0, T,
                        SolverConfig.fixed(tab, FixedSteps.ofCount(n)));
                Tensor y = sol.last(0);
                double err = Math.max(Math.abs(y.getFlat(0) - exact[0]), Math.abs(y.getFlat(1) - exact[1]))
                        / Math.max(Math.abs(exact[0]), Math.abs(exact[1]));
                if (err >= 1e-10 && err <= 1e-3) {
                    points.add(new double[] {Math.log(T / n), Math.log(err)});
                }
                if (err < 1e-10) {
                    break;
                }
            }
        }
        assertTrue(points.size() >= 5, name + ": only " + points.size() + " refinements with error in [1e-10, 1e-3]");
        List<double[]> last = points.subList(points.size() - 5, points.size());
        double slope = slope(last);
        assertTrue(Math.abs(slope - order) <= 0.2, name + ": slope " + slope + ", expected " + order + " ± 0.2");
    }

    static double slope(List<double[]> p) {
        double mx = 0;
        double my = 0;
        for (double[] v : p) {
            mx += v[0];
            my += v[1];
        }
        mx /= p.size();
        my /= p.size();
        double sxy = 0;
        double sxx = 0;
        for (double[] v : p) {
            sxy += (v[0] - mx) * (v[1] - my);
            sxx += (v[0] - mx) * (v[0] - mx);
        }
        return sxy / sxx;
    }
}
