package org.neuralode4j.stability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two-layer field ẋ = σ(A₂σ(A₁x + b₁) + b₂) with both matrices perturbed (stability.md §3.8, De Marinis,
 * Guglielmi, Sicilia, Tudisco 2025): the blocks G₁ and G₂ against central differences (T-4), each block against the
 * frozen-factor rule of §3.3, a scalar closed form, feasibility after the outer level, and the errors of §3.9.
 */
class TwoLayerTest {

    private static double[] uniform(Random r, int len, double lo, double hi) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = lo + (hi - lo) * r.nextDouble();
        }
        return x;
    }

    private static double[] gaussian(Random r, int len, double scale) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = scale * r.nextGaussian();
        }
        return x;
    }

    private static TwoLayerStates randomStates(Random r, int n, int h, int k) {
        double[][] d1 = new double[k][];
        double[][] d2 = new double[k][];
        for (int s = 0; s < k; s++) {
            d1[s] = uniform(r, h, 0.05, 1);
            d2[s] = uniform(r, n, 0.05, 1);
        }
        return TwoLayerStates.of(n, h, d1, d2);
    }

    /** diag(d)·m for a row-major rows×cols m. */
    private static double[] rowScaled(double[] d, double[] m, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = d[i] * m[i * cols + j];
            }
        }
        return out;
    }

    /** (a×b)(b×c), row-major. */
    private static double[] mul(double[] x, double[] y, int a, int b, int c) {
        double[] z = new double[a * c];
        for (int i = 0; i < a; i++) {
            for (int t = 0; t < b; t++) {
                for (int j = 0; j < c; j++) {
                    z[i * c + j] += x[i * b + t] * y[t * c + j];
                }
            }
        }
        return z;
    }

    /** max_k λ_max(Sym(D₂Ã₂D₁Ã₁)) by the independent oracle. */
    private static double maxMu2(double[] a1, double[] a2, double[] delta, TwoLayerStates states) {
        int n = states.n();
        int h = states.hidden();
        int size = n * h;
        double[] m1 = new double[size];
        double[] m2 = new double[size];
        for (int i = 0; i < size; i++) {
            m1[i] = a1[i] + delta[i];
            m2[i] = a2[i] + delta[size + i];
        }
        double worst = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < states.size(); k++) {
            double[] j = mul(rowScaled(states.outer(k), m2, n, h), rowScaled(states.inner(k), m1, h, n), n, h, n);
            double[] s = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < n; c++) {
                    s[i * n + c] = 0.5 * (j[i * n + c] + j[c * n + i]);
                }
            }
            double[] l = Instances.symEigenvalues(s);
            worst = Math.max(worst, l[n - 1]);
        }
        return worst;
    }

    @Test
    void blocksMatchCentralDifferences() {
        // T-4: n = 4, h = 6, D entries U(0.05, 1); directions on block 1 only, block 2 only, and both
        Random r = new Random(61);
        int n = 4;
        int h = 6;
        int size = n * h;
        int checked = 0;
        for (int draw = 0; draw < 8; draw++) {
            TwoLayerStates states = randomStates(r, n, h, 3);
            double[] a1 = gaussian(r, size, 1);
            double[] a2 = gaussian(r, size, 1);
            double[] at = gaussian(r, 2 * size, 0.1);
            for (Functional form : Functional.values()) {
                TwoLayerFunctional f = new TwoLayerFunctional(a1, a2, states, 0.02, form);
                Evaluation e = f.evaluate(at);
                assertTrue(e.value() > 0, "violated at the base point");
                for (int part = 0; part < 3; part++) {
                    double[] dir = gaussian(r, 2 * size, 1);
                    for (int i = 0; i < 2 * size; i++) {
                        if ((part == 0 && i >= size) || (part == 1 && i < size)) {
                            dir[i] = 0;
                        }
                    }
                    double step = 1e-6;
                    double fd = (f.evaluate(SquareMatrices.plusScaled(at, step, dir)).value()
                            - f.evaluate(SquareMatrices.plusScaled(at, -step, dir)).value()) / (2 * step);
                    double analytic = SquareMatrices.dot(e.gradient(), dir);
                    assertEquals(analytic, fd, 1e-6 * Math.max(1, Math.abs(analytic)),
                            form + " draw " + draw + " block " + (part == 2 ? "both" : part + 1));
                }
            }
            checked++;
        }
        assertEquals(8, checked);
    }

    @Test
    void eachBlockIsTheFrozenFactorRule() {
        // with Δ₁ = 0 the G₂ block is the rule for W = A₂, P_k = D₂, Q_k = D₁A₁; with Δ₂ = 0 the G₁ block is the rule
        // for W = A₁, P_k = D₂A₂D₁, Q_k = I
        Random r = new Random(67);
        int n = 3;
        int h = 5;
        int size = n * h;
        TwoLayerStates states = randomStates(r, n, h, 4);
        double[] a1 = gaussian(r, size, 1);
        double[] a2 = gaussian(r, size, 1);
        double[][] p2 = new double[4][];
        double[][] q2 = new double[4][];
        double[][] p1 = new double[4][];
        double[][] q1 = new double[4][];
        for (int k = 0; k < 4; k++) {
            double[] diag2 = new double[n * n];
            for (int i = 0; i < n; i++) {
                diag2[i * n + i] = states.outer(k)[i];
            }
            p2[k] = diag2;
            q2[k] = rowScaled(states.inner(k), a1, h, n);
            double[] upper = rowScaled(states.outer(k), a2, n, h);
            double[] p = new double[n * h];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < h; j++) {
                    p[i * h + j] = upper[i * h + j] * states.inner(k)[j];
                }
            }
            p1[k] = p;
            q1[k] = SquareMatrices.identity(n, 1);
        }
        TwoLayerFunctional two = new TwoLayerFunctional(a1, a2, states, 0, Functional.ALL);
        FrozenFactorFunctional second = new FrozenFactorFunctional(a2, FrozenFactorStates.of(n, n, h, p2, q2), 0,
                Functional.ALL);
        FrozenFactorFunctional first = new FrozenFactorFunctional(a1, FrozenFactorStates.of(n, h, n, p1, q1), 0,
                Functional.ALL);
        double[] d2 = gaussian(r, size, 0.2);
        double[] joint = new double[2 * size];
        System.arraycopy(d2, 0, joint, size, size);
        Evaluation x = two.evaluate(joint);
        Evaluation y = second.evaluate(d2);
        assertTrue(x.value() > 0);
        assertEquals(y.value(), x.value(), 1e-12 * y.value());
        assertArrayEquals(y.gradient(), java.util.Arrays.copyOfRange(x.gradient(), size, 2 * size),
                1e-12 * y.gradientNorm());
        double[] d1 = gaussian(r, size, 0.2);
        joint = new double[2 * size];
        System.arraycopy(d1, 0, joint, 0, size);
        x = two.evaluate(joint);
        y = first.evaluate(d1);
        assertEquals(y.value(), x.value(), 1e-12 * y.value());
        assertArrayEquals(y.gradient(), java.util.Arrays.copyOfRange(x.gradient(), 0, size), 1e-12 * y.gradientNorm());
    }

    @Test
    void scalarClosedForm() {
        // n = h = 1: J = d₁d₂(a₁ + x₁)(a₂ + x₂) ≤ 0 needs x₁ ≤ −a₁ or x₂ ≤ −a₂, so with a₁ = 2, a₂ = 1: ε* = 1 at (0, −1)
        TwoLayerStates states = TwoLayerStates.of(1, 1, new double[][] {{0.5}}, new double[][] {{0.8}});
        StabilityOptions opt = Instances.tight(0);
        OuterResult res = new OuterLevel(opt).solve(new double[] {2}, new double[] {1}, states, null);
        assertEquals(1.0, res.eps(), 2 * opt.relTol());
        assertEquals(0.0, res.perturbation()[0], 1e-4);
        assertEquals(-1.0, res.perturbation()[1], 1e-4);
    }

    @Test
    void randomInstanceIsFeasibleAfterTheOuterLevel() {
        Random r = new Random(71);
        int n = 4;
        int h = 6;
        int size = n * h;
        TwoLayerStates states = randomStates(r, n, h, 15);
        double[] a1 = gaussian(r, size, 1.5 / Math.sqrt(n));
        double[] a2 = gaussian(r, size, 1.5 / Math.sqrt(h));
        for (double delta : new double[] {0, 0.2}) {
            StabilityOptions opt = StabilityOptions.defaults(delta);
            assertTrue(maxMu2(a1, a2, new double[2 * size], states) > delta + 0.1, "precondition: violated");
            OuterResult res = new OuterLevel(opt).solve(a1, a2, states, null);
            assertEquals(2 * size, res.perturbation().length);
            assertEquals(res.eps(), SquareMatrices.norm(res.perturbation()), 1e-12 * res.eps());
            assertTrue(maxMu2(a1, a2, res.perturbation(), states) <= delta + opt.tau(), "feasible on re-evaluation");
            assertTrue(res.eps() < SquareMatrices.norm(a2), "below the bracket's upper end ‖A₂‖_F");
        }
    }

    @Test
    void errorsOfSection39() {
        TwoLayerStates states = TwoLayerStates.of(1, 1, new double[][] {{0.5}}, new double[][] {{0.8}});
        StabilityException neg = assertThrows(StabilityException.class, () -> new OuterLevel(
                StabilityOptions.defaults(-0.1)).solve(new double[] {2}, new double[] {1}, states, null));
        assertEquals(StabilityException.Kind.UNSUPPORTED, neg.kind());
        assertTrue(neg.getMessage().contains("two-layer"), neg.getMessage());
        StabilityException rank = assertThrows(StabilityException.class, () -> new OuterLevel(
                StabilityOptions.defaults(0).withRank(1)).solve(new double[] {2}, new double[] {1}, states, null));
        assertEquals(StabilityException.Kind.UNSUPPORTED, rank.kind());
        StabilityException none = assertThrows(StabilityException.class,
                () -> TwoLayerStates.of(1, 1, new double[0][], new double[0][]));
        assertEquals(StabilityException.Kind.NO_STATES, none.kind());
    }
}
