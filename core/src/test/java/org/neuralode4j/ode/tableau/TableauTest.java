package org.neuralode4j.ode.tableau;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The tableau self-checks of solvers.md §1.3 on every built-in tableau, the properties of §1.1 (FSAL, orders,
 * dense kinds), the transcription of every coefficient against the exact reference values, the name index, and
 * the rejection of inconsistent user tableaus.
 */
class TableauTest {
    static Stream<Tableau> builtIns() {
        return Stream.concat(Tableaus.all().stream(), Stream.of(Dopri5.TORCHDIFFEQ));
    }

    /** Σ of doubles, exactly. */
    private static BigDecimal exactSum(double[] v) {
        BigDecimal s = BigDecimal.ZERO;
        for (double x : v) {
            s = s.add(new BigDecimal(x));
        }
        return s;
    }

    private static double absSum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    /** Each entry is correctly rounded, so a sum of n entries of total size S is within about n·ulp(S)/2 of exact. */
    private static void assertSumIs(double expected, double[] v, String what) {
        double dev = exactSum(v).subtract(new BigDecimal(expected)).abs().doubleValue();
        assertTrue(dev <= 1e-15 * Math.max(1, absSum(v)), what + " is off by " + dev);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void selfChecks(Tableau t) {
        for (int i = 0; i < t.stages(); i++) {
            assertEquals(i, t.a()[i].length, t.name() + " row " + (i + 1));
            assertSumIs(t.c()[i], t.a()[i], t.name() + " row sum " + (i + 1));
        }
        assertSumIs(1.0, t.b(), t.name() + " Σb");
        if (t.e() != null) {
            assertSumIs(0.0, t.e(), t.name() + " Σe");
        }
        if (t.e3() != null) {
            assertSumIs(0.0, t.e3(), t.name() + " Σe3");
        }
        assertEquals(0.0, t.c()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void fsalExactlyForBosh3Dopri5Tsit5AndDop853(Tableau t) {
        Set<String> fsal = Set.of("BOSH3", "DOPRI5", "DOPRI5_TORCHDIFFEQ", "TSIT5", "DOP853");
        assertEquals(fsal.contains(t.name()), t.fsal(), t.name());
    }

    @Test
    void stagesOrdersAndDenseKindsFollowTheTable() {
        // name, s, p, p̂, k, dense kind (solvers.md §1.1 table, §2).
        Object[][] table = {
            {"EULER", 1, 1, 0, 0, DenseKind.HERMITE},
            {"MIDPOINT", 2, 2, 0, 0, DenseKind.HERMITE},
            {"HEUN", 2, 2, 1, 2, DenseKind.HERMITE},
            {"RK4", 4, 4, 0, 0, DenseKind.HERMITE},
            {"RK4_38", 4, 4, 0, 0, DenseKind.HERMITE},
            {"BOSH3", 4, 3, 2, 3, DenseKind.HERMITE},
            {"DOPRI5", 7, 5, 4, 5, DenseKind.DOPRI5},
            {"TSIT5", 7, 5, 4, 5, DenseKind.TSIT5},
            {"DOP853", 13, 8, 5, 8, DenseKind.DOP853}};
        List<Tableau> all = Tableaus.all();
        assertEquals(table.length, all.size());
        for (int k = 0; k < table.length; k++) {
            Tableau t = all.get(k);
            Object[] row = table[k];
            assertEquals(row[0], t.name());
            assertEquals(row[1], t.stages(), t.name());
            assertEquals(row[2], t.order(), t.name());
            assertEquals(row[3], t.embeddedOrder(), t.name());
            assertEquals(row[4], t.errorOrder(), t.name());
            assertEquals(row[5], t.dense(), t.name());
            assertEquals((int) row[3] > 0, t.adaptive(), t.name());
            assertEquals(t.name().equals("DOP853"), t.e3() != null, t.name());
        }
        // DOP853's FSAL stage carries no error weight, so it is evaluated only after acceptance (§1.1).
        assertEquals(0.0, Dop853.TABLEAU.e()[12]);
        assertEquals(0.0, Dop853.TABLEAU.e3()[12]);
    }

    /** Every coefficient is the double nearest to its exact value (solvers.md §1.2, §2). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void coefficientsAreTheNearestDoubles(Tableau t) {
        ExactTableaus.Exact x = ExactTableaus.BY_NAME.get(t.name().replace("_TORCHDIFFEQ", ""));
        assertNearest(x.c(), t.c(), t.name() + " c");
        for (int i = 0; i < t.stages(); i++) {
            assertNearest(x.a()[i], t.a()[i], t.name() + " a_" + (i + 1));
        }
        assertNearest(x.b(), t.b(), t.name() + " b");
        BigDecimal[] e = t == Dopri5.TORCHDIFFEQ ? ExactTableaus.DOPRI5_E_TD : x.e();
        if (e == null) {
            assertNull(t.e(), t.name());
        } else {
            assertNearest(e, t.e(), t.name() + " e");
        }
        if (x.e3() == null) {
            assertNull(t.e3(), t.name());
        } else {
            assertNearest(x.e3(), t.e3(), t.name() + " e3");
        }
    }

    @Test
    void denseCoefficientsAreTheNearestDoubles() {
        assertNearest(ExactTableaus.DOPRI5_MID, Dopri5.MID, "DOPRI5 cm");
        assertNearest(ExactTableaus.DOPRI5_D, Dopri5.DENSE_D, "DOPRI5 d");
        for (int i = 1; i < 7; i++) {
            assertNearest(ExactTableaus.TSIT5_BETA[i], Tsit5.BETA[i], "TSIT5 β row " + (i + 1));
        }
        assertNearest(ExactTableaus.DOP853_DENSE_C, Dop853.DENSE_C, "DOP853 dense c");
        for (int i = 0; i < 3; i++) {
            assertEquals(13 + i, Dop853.DENSE_A[i].length, "DOP853 a_" + (14 + i));
            assertNearest(ExactTableaus.DOP853_DENSE_A[i], Dop853.DENSE_A[i], "DOP853 a_" + (14 + i));
            assertSumIs(Dop853.DENSE_C[i], Dop853.DENSE_A[i], "DOP853 row sum " + (14 + i));
        }
        for (int m = 0; m < 7; m++) {
            assertEquals(16, Dop853.DENSE_D[m].length);
            assertNearest(ExactTableaus.DOP853_DENSE_D[m], Dop853.DENSE_D[m], "DOP853 D row " + m);
        }
    }

    private static void assertNearest(BigDecimal[] exact, double[] actual, String what) {
        assertEquals(exact.length, actual.length, what + " length");
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i].doubleValue(), actual[i], 0.0, what + " entry " + (i + 1));
        }
    }

    @Test
    void dopri5ErrorWeightSets() {
        assertSame(Dopri5.TABLEAU, Dopri5ErrorWeights.STANDARD.tableau());
        assertSame(Dopri5.TORCHDIFFEQ, Dopri5ErrorWeights.TORCHDIFFEQ.tableau());
        for (int i = 0; i < 7; i++) {
            double e = Dopri5.TABLEAU.e()[i];
            assertEquals(2.0 / 3 * e, Dopri5.TORCHDIFFEQ.e()[i], 2 * Math.ulp(e), "e_td = (2/3)e, stage " + (i + 1));
        }
        // Only the error weights differ.
        assertSame(Dopri5.TABLEAU.dense(), Dopri5.TORCHDIFFEQ.dense());
        assertArrayEquals(Dopri5.TABLEAU.b(), Dopri5.TORCHDIFFEQ.b(), 0.0);
        assertArrayEquals(Dopri5.TABLEAU.c(), Dopri5.TORCHDIFFEQ.c(), 0.0);
    }

    /** §1.2: e = b − b̂ and b̂_td = b − e_td = b/3 + 2b̂/3, exactly. */
    @Test
    void dopri5EmbeddedFormulasAreConsistent() {
        BigDecimal[] b = ExactTableaus.BY_NAME.get("DOPRI5").b();
        BigDecimal[] e = ExactTableaus.BY_NAME.get("DOPRI5").e();
        BigDecimal[] bHat = ExactTableaus.DOPRI5_B_HAT;
        for (int i = 0; i < b.length; i++) {
            BigDecimal three = BigDecimal.valueOf(3);
            BigDecimal bHatTd = b[i].subtract(ExactTableaus.DOPRI5_E_TD[i]);
            BigDecimal mix = b[i].add(bHat[i].multiply(BigDecimal.valueOf(2))).divide(three, ExactTableaus.MC);
            assertTrue(b[i].subtract(e[i]).subtract(bHat[i]).abs().doubleValue() <= 1e-45, "b − e = b̂, stage " + (i + 1));
            assertTrue(bHatTd.subtract(mix).abs().doubleValue() <= 1e-45, "b̂_td, stage " + (i + 1));
        }
    }

    @Test
    void byNameIsCaseInsensitiveWithAliases() {
        for (Tableau t : Tableaus.all()) {
            assertSame(t, Tableaus.byName(t.name()));
            assertSame(t, Tableaus.byName(t.name().toLowerCase()));
        }
        assertSame(Dop853.TABLEAU, Tableaus.byName("Dopri8"));
        assertSame(Rk438.TABLEAU, Tableaus.byName("rk4_38"));
        assertSame(Dopri5.TORCHDIFFEQ, Tableaus.byName(Dopri5.TORCHDIFFEQ.name()));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        ConfigException ex = assertThrows(ConfigException.class, () -> Tableaus.byName("dopri7"));
        List<String> missing = new ArrayList<>();
        for (String name : List.of("dopri7", "EULER", "MIDPOINT", "HEUN", "RK4", "RK4_38", "BOSH3", "DOPRI5", "TSIT5",
                "DOP853", "DOPRI8")) {
            if (!ex.getMessage().contains(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), ex.getMessage() + " lacks " + missing);
        assertThrows(ConfigException.class, () -> Tableaus.byName(null));
    }

    @Test
    void namesAreUnique() {
        Set<String> names = Tableaus.all().stream().map(Tableau::name).collect(Collectors.toSet());
        assertEquals(Tableaus.all().size(), names.size());
    }

    // ---- user tableaus ----

    private static ConfigException rejected(double[] c, double[][] a, double[] b, double[] e) {
        return assertThrows(ConfigException.class,
                () -> new Tableau("MY_RK", c, a, b, e, null, 2, e == null ? 0 : 1, e == null ? 0 : 2, DenseKind.HERMITE));
    }

    @Test
    void acceptsAConsistentUserTableau() {
        Tableau t = new Tableau("MY_RK", new double[] {0, 2.0 / 3}, new double[][] {{}, {2.0 / 3}},
                new double[] {1.0 / 4, 3.0 / 4}, null, null, 2, 0, 0, DenseKind.HERMITE);
        assertEquals(2, t.stages());
    }

    @Test
    void rejectsARowNotSummingToItsNode() {
        ConfigException ex = rejected(new double[] {0, 0.5}, new double[][] {{}, {0.6}}, new double[] {0, 1}, null);
        assertTrue(ex.getMessage().contains("MY_RK") && ex.getMessage().contains("row 2"), ex.getMessage());
    }

    @Test
    void rejectsARowOfTheWrongLength() {
        ConfigException ex = rejected(new double[] {0, 0.5}, new double[][] {{}, {0.25, 0.25}}, new double[] {0, 1}, null);
        assertTrue(ex.getMessage().contains("MY_RK") && ex.getMessage().contains("row 2"), ex.getMessage());
    }

    @Test
    void rejectsWeightsNotSummingToOne() {
        ConfigException ex = rejected(new double[] {0, 0.5}, new double[][] {{}, {0.5}}, new double[] {0.5, 0.6}, null);
        assertTrue(ex.getMessage().contains("MY_RK") && ex.getMessage().contains("weights"), ex.getMessage());
    }

    @Test
    void rejectsErrorWeightsNotSummingToZero() {
        ConfigException ex = rejected(new double[] {0, 0.5}, new double[][] {{}, {0.5}}, new double[] {0, 1},
                new double[] {0.1, 0.1});
        assertTrue(ex.getMessage().contains("MY_RK"), ex.getMessage());
    }

    @Test
    void rejectsMismatchedLengthsAndNonzeroFirstNode() {
        assertTrue(rejected(new double[] {0, 0.5}, new double[][] {{}, {0.5}}, new double[] {1}, null)
                .getMessage().contains("MY_RK"));
        assertTrue(rejected(new double[] {0.1, 0.5}, new double[][] {{}, {0.5}}, new double[] {0, 1}, null)
                .getMessage().contains("MY_RK"));
    }
}
