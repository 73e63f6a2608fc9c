package org.neuralode4j.ode.tableau;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralode4j.ode.tableau.OrderConditions.MC;
import static org.neuralode4j.ode.tableau.OrderConditions.TREES;
import static org.neuralode4j.ode.tableau.OrderConditions.exact;
import static org.neuralode4j.ode.tableau.OrderConditions.minus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Order conditions of every built-in tableau and the continuous order conditions of the dense outputs
 * (solvers.md §1.3, §2.1–§2.3, §7 item 1), over rooted trees up to order 9.
 *
 * <p>Each check runs twice: on the exact reference values ({@link ExactTableaus}: rationals, √6 forms in 40
 * digits), where residuals must be ≤ 1e-30, and on the production doubles converted exactly to BigDecimal, where
 * the conditions hold only to the rounding of the coefficients (≤ 1e-14). TSIT5 is looser on both counts: its
 * reference is the 20-digit published tableau (residuals ≈ 1.4e-18), and in doubles the rounding of its large
 * A entries (up to 12.9, cancelling to row sums c ≤ 1) leaves A·1 − c ≈ 7e-16, which the bushy trees
 * (Σ b_i·c_i^k with b_5 ≈ −3.3) amplify to 1.05e-14.
 */
class OrderConditionsTest {
    /** Exact tableaus: the conditions hold in 40-digit arithmetic. */
    private static final double EXACT_TOL = 1e-30;
    /** TSIT5's coefficients are published to 20 significant digits. */
    private static final double TSIT5_EXACT_TOL = 1e-17;
    /** Double coefficients: the conditions hold to their rounding. */
    private static final double DOUBLE_TOL = 1e-14;
    /** TSIT5 in doubles (see the class comment). */
    private static final double TSIT5_DOUBLE_TOL = 2e-14;
    /** A condition of order p + 1 counts as failed when its residual is far above any rounding. */
    private static final double FAILED = 1e-8;

    private static final BigDecimal[] THETAS = Stream.of("0.1", "0.25", "0.5", "0.7", "0.9", "1")
            .map(BigDecimal::new).toArray(BigDecimal[]::new);

    /** One weight vector of a tableau with the order it must have exactly. */
    record Weights(String label, BigDecimal[] w, int order) {}

    /** A tableau's stage matrix with its weight sets. */
    record Case(String name, BigDecimal[][] a, List<Weights> weights, double tol) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void rootedTreeCountsMatchButcher() {
        int[] counts = TREES.stream().mapToInt(List::size).toArray();
        assertArrayEquals(new int[] {1, 1, 2, 4, 9, 20, 48, 115, 286}, counts);
        assertEquals(1, TREES.get(0).get(0).gamma);
        // The tall tree of order 9 has γ = 9!, the bushy one γ = 9.
        long[] gammas9 = TREES.get(8).stream().mapToLong(t -> t.gamma).sorted().toArray();
        assertEquals(9, gammas9[0]);
        assertEquals(362880, gammas9[gammas9.length - 1]);
    }

    static Stream<Case> exactCases() {
        List<Case> cases = new ArrayList<>();
        for (Tableau t : allTableaus()) {
            ExactTableaus.Exact x = ExactTableaus.BY_NAME.get(t.name().replace("_TORCHDIFFEQ", ""));
            BigDecimal[] e = t == Dopri5.TORCHDIFFEQ ? ExactTableaus.DOPRI5_E_TD : x.e();
            cases.add(new Case(t.name(), x.a(), weightSets(t, x.b(), e, x.e3()),
                    t == Tsit5.TABLEAU ? TSIT5_EXACT_TOL : EXACT_TOL));
        }
        return cases.stream();
    }

    static Stream<Case> doubleCases() {
        return allTableaus().stream().map(t -> new Case(t.name(), exact(t.a()),
                weightSets(t, exact(t.b()), t.e() == null ? null : exact(t.e()), t.e3() == null ? null : exact(t.e3())),
                t == Tsit5.TABLEAU ? TSIT5_DOUBLE_TOL : DOUBLE_TOL));
    }

    private static List<Tableau> allTableaus() {
        List<Tableau> all = new ArrayList<>(Tableaus.all());
        all.add(Dopri5.TORCHDIFFEQ);
        return all;
    }

    /** b with order p; b̂ = b − e with p̂; for DOP853 also b̂₃ = b − E3 with order 3. */
    private static List<Weights> weightSets(Tableau t, BigDecimal[] b, BigDecimal[] e, BigDecimal[] e3) {
        List<Weights> sets = new ArrayList<>();
        sets.add(new Weights("b", b, t.order()));
        if (e != null) {
            sets.add(new Weights("b - e", minus(b, e), t.embeddedOrder()));
        }
        if (e3 != null) {
            sets.add(new Weights("b - e3", minus(b, e3), 3));
        }
        return sets;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactCases")
    void exactCoefficientsHaveExactlyTheirOrder(Case c) {
        assertOrders(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doubleCases")
    void productionDoublesHaveExactlyTheirOrder(Case c) {
        assertOrders(c);
    }

    private static void assertOrders(Case c) {
        OrderConditions oc = new OrderConditions(c.a());
        for (Weights w : c.weights()) {
            double held = oc.maxResidualUpTo(w.w(), BigDecimal.ONE, w.order());
            double next = oc.maxResidual(w.w(), BigDecimal.ONE, w.order() + 1);
            assertTrue(held <= c.tol(), c.name() + " " + w.label() + ": residual " + held + " up to order " + w.order());
            assertTrue(next > FAILED, c.name() + " " + w.label() + ": all conditions of order " + (w.order() + 1)
                    + " hold (max residual " + next + "), so the order is higher than declared");
        }
    }

    // ---- DOPRI5 (§2.1) ----

    /** Construction (b): b_i(θ) = θ·(b_i + η·(δ_i1 − b_i + θ·(2b_i − δ_i1 − δ_i7 + η·d_i))). */
    private static BigDecimal[] dopri5FormB(BigDecimal[] b, BigDecimal[] d, BigDecimal theta) {
        BigDecimal eta = BigDecimal.ONE.subtract(theta);
        BigDecimal[] w = new BigDecimal[b.length];
        for (int i = 0; i < b.length; i++) {
            BigDecimal d1 = i == 0 ? BigDecimal.ONE : BigDecimal.ZERO;
            BigDecimal d7 = i == b.length - 1 ? BigDecimal.ONE : BigDecimal.ZERO;
            BigDecimal r4 = b[i].multiply(BigDecimal.valueOf(2)).subtract(d1).subtract(d7).add(eta.multiply(d[i], MC), MC);
            BigDecimal r3 = d1.subtract(b[i]).add(theta.multiply(r4, MC), MC);
            w[i] = theta.multiply(b[i].add(eta.multiply(r3, MC), MC), MC);
        }
        return w;
    }

    /** Construction (a), the quartic through y_mid: weights of y0 + θ·P_1 + … + θ⁴·P_4 per stage. */
    private static BigDecimal[] dopri5FormA(BigDecimal[] b, BigDecimal[] cm, BigDecimal theta) {
        BigDecimal[] w = new BigDecimal[b.length];
        for (int i = 0; i < b.length; i++) {
            int d1 = i == 0 ? 1 : 0;
            int d7 = i == b.length - 1 ? 1 : 0;
            // P_2 = h(f1 − 4f0) − 5(y1 − y0) + 16(y_mid − y0), and similarly P_3, P_4 (the y0 terms cancel).
            BigDecimal p1 = BigDecimal.valueOf(d1);
            BigDecimal p2 = BigDecimal.valueOf(d7 - 4 * d1).add(lin(-5, b[i], 16, cm[i]), MC);
            BigDecimal p3 = BigDecimal.valueOf(5 * d1 - 3 * d7).add(lin(14, b[i], -32, cm[i]), MC);
            BigDecimal p4 = BigDecimal.valueOf(2 * d7 - 2 * d1).add(lin(-8, b[i], 16, cm[i]), MC);
            w[i] = theta.multiply(p1.add(theta.multiply(p2.add(theta.multiply(p3.add(theta.multiply(p4, MC), MC), MC), MC), MC), MC), MC);
        }
        return w;
    }

    private static BigDecimal lin(int p, BigDecimal x, int q, BigDecimal y) {
        return BigDecimal.valueOf(p).multiply(x, MC).add(BigDecimal.valueOf(q).multiply(y, MC), MC);
    }

    private static double maxAbsDiff(BigDecimal[] x, BigDecimal[] y) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, x[i].subtract(y[i], MC).abs().doubleValue());
        }
        return max;
    }

    @Test
    void dopri5ExtensionIsFourthOrderExactly() {
        ExactTableaus.Exact x = ExactTableaus.BY_NAME.get("DOPRI5");
        OrderConditions oc = new OrderConditions(x.a());
        for (BigDecimal theta : THETAS) {
            BigDecimal[] formB = dopri5FormB(x.b(), ExactTableaus.DOPRI5_D, theta);
            assertTrue(oc.maxResidualUpTo(formB, theta, 4) <= EXACT_TOL, "θ = " + theta);
            assertTrue(maxAbsDiff(formB, dopri5FormA(x.b(), ExactTableaus.DOPRI5_MID, theta)) <= EXACT_TOL,
                    "forms (a) and (b) differ at θ = " + theta);
        }
        BigDecimal half = new BigDecimal("0.5");
        assertTrue(maxAbsDiff(dopri5FormB(x.b(), ExactTableaus.DOPRI5_D, half), ExactTableaus.DOPRI5_MID) <= EXACT_TOL,
                "cm is the extension at θ = 1/2");
        assertTrue(maxAbsDiff(dopri5FormB(x.b(), ExactTableaus.DOPRI5_D, BigDecimal.ONE), x.b()) <= EXACT_TOL);
    }

    @Test
    void dopri5ExtensionInDoubles() {
        Tableau t = Dopri5.TABLEAU;
        OrderConditions oc = new OrderConditions(exact(t.a()));
        for (BigDecimal theta : THETAS) {
            double[] w = Dopri5.denseWeights(theta.doubleValue());
            assertTrue(oc.maxResidualUpTo(exact(w), theta, 4) <= DOUBLE_TOL, "θ = " + theta);
            // Construction (a) from the production MID and b, evaluated in exact arithmetic, against (b) in doubles.
            BigDecimal[] formA = dopri5FormA(exact(t.b()), exact(Dopri5.MID), theta);
            assertTrue(maxAbsDiff(formA, exact(w)) <= DOUBLE_TOL, "forms (a) and (b) differ at θ = " + theta);
        }
        assertArrayEquals(Dopri5.MID, Dopri5.denseWeights(0.5), 1e-16);
        assertArrayEquals(t.b(), Dopri5.denseWeights(1.0), 1e-16);
    }

    // ---- TSIT5 (§2.2) ----

    private static BigDecimal[] polyWeights(BigDecimal[][] beta, BigDecimal theta) {
        BigDecimal[] w = new BigDecimal[beta.length];
        for (int i = 0; i < beta.length; i++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int m = beta[i].length - 1; m >= 0; m--) {
                s = s.add(beta[i][m], MC).multiply(theta, MC);
            }
            w[i] = s;
        }
        return w;
    }

    /**
     * §2.2: the interpolant satisfies the continuous conditions to 1e-14 up to order 4 — against the 20-digit A;
     * against the double A the row-sum rounding of the class comment adds up to 8e-15 near θ = 1.
     */
    @Test
    void tsit5InterpolantIsFourthOrder() {
        OrderConditions exactA = new OrderConditions(ExactTableaus.BY_NAME.get("TSIT5").a());
        OrderConditions doubleA = new OrderConditions(exact(Tsit5.TABLEAU.a()));
        for (BigDecimal theta : THETAS) {
            assertTrue(exactA.maxResidualUpTo(polyWeights(ExactTableaus.TSIT5_BETA, theta), theta, 4) <= DOUBLE_TOL,
                    "published table, θ = " + theta);
            assertTrue(exactA.maxResidualUpTo(polyWeights(exact(Tsit5.BETA), theta), theta, 4) <= DOUBLE_TOL,
                    "production BETA, θ = " + theta);
            double[] w = Tsit5.denseWeights(theta.doubleValue());
            assertTrue(doubleA.maxResidualUpTo(exact(w), theta, 4) <= TSIT5_DOUBLE_TOL, "denseWeights, θ = " + theta);
        }
        assertArrayEquals(Tsit5.TABLEAU.b(), Tsit5.denseWeights(1.0), 1e-14);
        // Σ_i b_i(θ) = θ holds coefficient by coefficient, to the rounding of the derived first row.
        for (int m = 0; m < 4; m++) {
            BigDecimal column = BigDecimal.ZERO;
            for (double[] row : Tsit5.BETA) {
                column = column.add(new BigDecimal(row[m]));
            }
            assertEquals(m == 0 ? 1.0 : 0.0, column.doubleValue(), 1e-15, "Σ_i β_i," + (m + 1));
        }
        // The derived first row agrees with the published one, which is itself consistent with rows 2..7 only to
        // about 1.1e-14 (its θ³ entry).
        for (int m = 0; m < 4; m++) {
            assertEquals(ExactTableaus.TSIT5_BETA[0][m].doubleValue(), Tsit5.BETA[0][m], 2e-14, "β_1," + (m + 1));
        }
    }

    // ---- DOP853 (§2.3) ----

    /** The 16-stage matrix: the 13 stages of the tableau and the three dense-output stages. */
    private static BigDecimal[][] extended(BigDecimal[][] a, BigDecimal[][] denseA) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(denseA)).toArray(BigDecimal[][]::new);
    }

    /** b_i(θ) = θ·(D0 + η·(D1 + θ·(D2 + η·(D3 + θ·(D4 + η·(D5 + θ·D6)))))). */
    private static BigDecimal[] dop853Weights(BigDecimal[][] d, BigDecimal theta) {
        BigDecimal eta = BigDecimal.ONE.subtract(theta);
        BigDecimal[] w = new BigDecimal[d[0].length];
        for (int i = 0; i < w.length; i++) {
            BigDecimal s = d[6][i];
            for (int m = 5; m >= 0; m--) {
                s = d[m][i].add((m % 2 == 1 ? theta : eta).multiply(s, MC), MC);
            }
            w[i] = theta.multiply(s, MC);
        }
        return w;
    }

    @Test
    void dop853DenseOutputIsSeventhOrder() {
        ExactTableaus.Exact x = ExactTableaus.BY_NAME.get("DOP853");
        OrderConditions exactA = new OrderConditions(extended(x.a(), ExactTableaus.DOP853_DENSE_A));
        OrderConditions doubleA = new OrderConditions(extended(exact(Dop853.TABLEAU.a()), exact(Dop853.DENSE_A)));
        for (BigDecimal theta : THETAS) {
            assertTrue(exactA.maxResidualUpTo(dop853Weights(ExactTableaus.DOP853_DENSE_D, theta), theta, 7) <= EXACT_TOL,
                    "exact, θ = " + theta);
            double[] w = Dop853.denseWeights(theta.doubleValue());
            assertTrue(doubleA.maxResidualUpTo(exact(w), theta, 7) <= DOUBLE_TOL, "denseWeights, θ = " + theta);
            assertDensePolyMatches(theta);
        }
        assertArrayEquals(Arrays.copyOf(Dop853.TABLEAU.b(), 16), Dop853.denseWeights(1.0), 1e-15);
    }

    /**
     * DENSE_POLY is the monomial expansion of the nested form, rounded once per entry: evaluated exactly, it differs
     * from the nested form of the production D (also exactly evaluated) by at most Σ_m ulp(W_m)/2·θ^m per stage.
     */
    private static void assertDensePolyMatches(BigDecimal theta) {
        BigDecimal[] nested = dop853Weights(exact(Dop853.DENSE_D), theta);
        BigDecimal[] poly = polyWeights(transpose(exact(Dop853.DENSE_POLY)), theta);
        double th = theta.doubleValue();
        for (int i = 0; i < nested.length; i++) {
            double bound = 0;
            for (int m = 0; m < 7; m++) {
                bound += Math.ulp(Dop853.DENSE_POLY[m][i]) / 2 * Math.pow(th, m + 1);
            }
            double diff = poly[i].subtract(nested[i], MC).abs().doubleValue();
            assertTrue(diff <= bound * (1 + 1e-9), "DENSE_POLY stage " + (i + 1) + ", θ = " + theta + ": " + diff + " > " + bound);
        }
    }

    private static BigDecimal[][] transpose(BigDecimal[][] m) {
        BigDecimal[][] t = new BigDecimal[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }
}
