package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralode4j.tensor.Tensor;

/**
 * Tests of the 2-D generators against datasets.md §1.9 / §6: determinism, exact row counts, label balance,
 * supports and the reference moments.
 */
class Toys2dTest {

    /** §1.9: n = 10⁶ keeps every standard error ≤ 0.006, so the spec's tolerances are ≥ 5 standard errors. */
    private static final int BIG = 1_000_000;

    @ParameterizedTest
    @MethodSource("densityNames")
    void densitySameSeedIsBitwiseEqualAndAnotherSeedDiffers(String name) {
        double[] a = Toys2d.sample(name, 1001, 42).toArray();
        double[] b = Toys2d.sample(name, 1001, 42).toArray();
        double[] c = Toys2d.sample(name, 1001, 43).toArray();
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c), name + ": seeds 42 and 43 gave the same data");
    }

    @ParameterizedTest
    @MethodSource("densityNames")
    void densityReturnsExactlyNRowsOfTwoFiniteColumns(String name) {
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 9, 1001}) {
            Tensor x = Toys2d.sample(name, n, 7);
            assertEquals(2, x.rank());
            assertEquals(n, x.dim(0), name + " n=" + n);
            assertEquals(2, x.dim(1));
            assertTrue(x.allFinite());
        }
    }

    @ParameterizedTest
    @MethodSource("labelledNames")
    void labelledIsDeterministicBalancedAndShuffled(String name) {
        for (int n : new int[] {1, 2, 3, 1001, 2048}) {
            LabelledSet a = Toys2d.labelled(name, n, 5);
            LabelledSet b = Toys2d.labelled(name, n, 5);
            assertArrayEquals(a.x().toArray(), b.x().toArray(), 0.0);
            assertArrayEquals(a.labels(), b.labels());
            assertEquals(n, a.size());
            assertEquals(2, a.x().dim(1));
            int zeros = (int) Arrays.stream(a.labels()).filter(l -> l == 0).count();
            int ones = (int) Arrays.stream(a.labels()).filter(l -> l == 1).count();
            // §1.4: 2spirals' arm A (label 0) has the ⌈n/2⌉ draws, the other sets give label 0 ⌊n/2⌋ rows.
            int expectedZeros = name.equals("2spirals") ? (n + 1) / 2 : n / 2;
            assertEquals(expectedZeros, zeros, name + " n=" + n);
            assertEquals(n - expectedZeros, ones, name + " n=" + n);
        }
        LabelledSet s = Toys2d.labelled(name, 2048, 5);
        assertFalse(Arrays.equals(s.x().toArray(), Toys2d.labelled(name, 2048, 6).x().toArray()));
        // Shuffled: the first half is not all label 0 (probability 1/C(2048,1024) of a false failure).
        assertTrue(Arrays.stream(s.labels(), 0, 1024).anyMatch(l -> l == 1), name + " is not shuffled");
    }

    @Test
    void w1IsAnAliasOfDiskAnnulusAndDiskAnnulusIsUnchanged() {
        LabelledSet w1 = Toys2d.labelled("w1", 64, 3);
        LabelledSet da = Toys2d.labelled("disk-annulus", 64, 3);
        LabelledSet direct = Toys2d.diskAnnulus(64, 3);
        assertArrayEquals(direct.x().toArray(), w1.x().toArray(), 0.0);
        assertArrayEquals(direct.x().toArray(), da.x().toArray(), 0.0);
        assertArrayEquals(direct.labels(), w1.labels());
        // Pinned values of the W1 benchmark's generator (recorded before this change): any drift breaks W1.
        LabelledSet pin = Toys2d.diskAnnulus(8, 0);
        assertArrayEquals(PINNED_DISK_ANNULUS_8_0_LABELS, pin.labels());
        assertArrayEquals(PINNED_DISK_ANNULUS_8_0_X, pin.x().toArray(), 0.0);
    }

    static final int[] PINNED_DISK_ANNULUS_8_0_LABELS = {0, 1, 1, 1, 0, 0, 0, 1};
    static final double[] PINNED_DISK_ANNULUS_8_0_X = {
        0x1.b659749a8cc8ep-2, -0x1.62bf3b593ccd7p-11, 0x1.416ecc1067de8p0, -0x1.6772fa357133dp-1,
        -0x1.7659e718008efp-2, 0x1.381ce13ff3c82p0, -0x1.32d897f6ba92fp-1, -0x1.c27e67e6c335cp-1,
        -0x1.6359523196db5p-8, -0x1.8cf8cbf63cdadp-2, -0x1.445f72689a14p-2, -0x1.27a263b2005bfp-4,
        -0x1.1c8e8d37c3e6ap-3, 0x1.48f2ae38d7e75p-4, 0x1.f33d4cf2fbf6ep-1, 0x1.c0ce9fdfbb7fdp-2};

    @Test
    void diskAnnulusRadiiAndMoments() {
        LabelledSet s = Toys2d.diskAnnulus(BIG, 11);
        double[] x = s.x().toArray();
        double sumR = 0;
        for (int i = 0; i < s.size(); i++) {
            double r = Math.hypot(x[2 * i], x[2 * i + 1]);
            sumR += r;
            if (s.labels()[i] == 0) {
                assertTrue(r < 0.5 + 1e-12, "disk point at r=" + r);
            } else {
                assertTrue(r >= 1 - 1e-12 && r < 1.5 + 1e-12, "annulus point at r=" + r);
            }
        }
        // Mean radius (a) 0.800: the radius has std ≤ 0.45, so its standard error at 10⁶ is < 0.0005.
        assertEquals(0.800, sumR / s.size(), 0.005);
        assertMoments("disk-annulus", s.x(), 0, 0, 0.4375, 0.4375, 0);
    }

    static Stream<Arguments> referenceMoments() {
        // datasets.md §1.9: mean x₁, mean x₂, var x₁, var x₂, cov.
        return Stream.of(
                Arguments.of("8gaussians", 0.0, 0.0, 4.126, 4.126, 0.0),
                Arguments.of("pinwheel", 0.0, 0.0, 2.20, 2.20, 0.0),
                Arguments.of("checkerboard", 0.0, 0.0, 16.0 / 3, 16.0 / 3, 1.0),
                Arguments.of("2spirals", 0.0, 0.0, 2.59, 2.51, 0.584),
                Arguments.of("circles", 0.0, 0.0, 2.870, 2.870, 0.0),
                Arguments.of("moons", 0.0, 0.300, 3.04, 1.017, -0.773),
                Arguments.of("rings", 0.0, 0.0, 2.116, 2.116, 0.0),
                Arguments.of("swissroll", 0.400, 0.043, 1.79, 1.97, 0.172));
    }

    @ParameterizedTest
    @MethodSource("referenceMoments")
    void densityMomentsMatchTheSpecTable(String name, double m1, double m2, double v1, double v2, double cov) {
        assertMoments(name, Toys2d.sample(name, BIG, 2024), m1, m2, v1, v2, cov);
    }

    /** §1.9 tolerances: |mean − ref| ≤ 0.03; (co)variances within 3 %, or 0.03 absolute when the reference is ~0. */
    private static void assertMoments(String name, Tensor t, double m1, double m2, double v1, double v2, double cov) {
        double[] x = t.toArray();
        int n = t.dim(0);
        double a = 0, b = 0;
        for (int i = 0; i < n; i++) {
            a += x[2 * i];
            b += x[2 * i + 1];
        }
        a /= n;
        b /= n;
        double saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < n; i++) {
            double da = x[2 * i] - a;
            double db = x[2 * i + 1] - b;
            saa += da * da;
            sbb += db * db;
            sab += da * db;
        }
        saa /= n;
        sbb /= n;
        sab /= n;
        assertEquals(m1, a, 0.03, name + " mean x1");
        assertEquals(m2, b, 0.03, name + " mean x2");
        assertEquals(v1, saa, 0.03 * v1, name + " var x1");
        assertEquals(v2, sbb, 0.03 * v2, name + " var x2");
        assertEquals(cov, sab, Math.max(0.03, 0.03 * Math.abs(cov)), name + " cov");
    }

    @Test
    void eightGaussiansCentresSitOnRadius4Over1414() {
        LabelledSet s = Toys2d.eightGaussians(BIG, 3);
        double[] x = s.x().toArray();
        double[] cx = new double[8], cy = new double[8], sq = new double[8];
        int[] cnt = new int[8];
        double sumNorm = 0;
        for (int i = 0; i < s.size(); i++) {
            int k = s.labels()[i];
            cx[k] += x[2 * i];
            cy[k] += x[2 * i + 1];
            cnt[k]++;
            sumNorm += Math.hypot(x[2 * i], x[2 * i + 1]);
        }
        for (int k = 0; k < 8; k++) {
            // Each component has ~125000 points of std 0.354: the centre's standard error is 0.001.
            assertEquals(BIG / 8.0, cnt[k], 5 * Math.sqrt(BIG / 8.0 * 7 / 8), "component " + k + " count");
            double r = Math.hypot(cx[k] / cnt[k], cy[k] / cnt[k]);
            assertEquals(4 / 1.414, r, 0.01, "centre " + k + " radius");
        }
        for (int i = 0; i < s.size(); i++) {
            int k = s.labels()[i];
            double dx = x[2 * i] - cx[k] / cnt[k];
            double dy = x[2 * i + 1] - cy[k] / cnt[k];
            sq[k] += dx * dx + dy * dy;
        }
        for (int k = 0; k < 8; k++) {
            double std = Math.sqrt(sq[k] / (2 * cnt[k]));
            assertEquals(0.5 / 1.414, std, 0.005, "component " + k + " std");
        }
        assertEquals(2.851, sumNorm / BIG, 0.01, "mean |x|");
    }

    @Test
    void checkerboardPointsLieInOccupiedCells() {
        double[] x = Toys2d.sample("checkerboard", 200_000, 9).toArray();
        int[] cells = new int[16];
        for (int i = 0; i < x.length / 2; i++) {
            double a = x[2 * i], b = x[2 * i + 1];
            assertTrue(a >= -4 && a < 4 && b >= -4 && b < 4, "outside [-4,4)^2: " + a + ", " + b);
            int ca = (int) Math.floor(a / 2), cb = (int) Math.floor(b / 2);
            assertEquals(0, Math.floorMod(ca + cb, 2), "point in an empty cell: " + a + ", " + b);
            cells[(ca + 2) * 4 + (cb + 2)]++;
        }
        // Each of the 8 occupied cells gets 1/8: 25000 ± 5·148.
        int occupied = 0;
        for (int c : cells) {
            if (c > 0) {
                occupied++;
                assertEquals(25000, c, 750);
            }
        }
        assertEquals(8, occupied);
    }

    @Test
    void pinwheelArmSizesSpreadTheRemainder() {
        LabelledSet s = Toys2d.pinwheel(13, 1);
        int[] cnt = new int[5];
        for (int l : s.labels()) {
            cnt[l]++;
        }
        assertArrayEquals(new int[] {3, 3, 3, 2, 2}, cnt);
    }

    @Test
    void moonsWithoutNoiseLieOnTheirArcs() {
        LabelledSet s = Toys2d.labelled("moons", 1001, 4, Map.of("noise", 0.0));
        double[] x = s.x().toArray();
        for (int i = 0; i < s.size(); i++) {
            // Undo x ↦ 2x + (−1, −0.2) to get back to make_moons' unit arcs.
            double u = (x[2 * i] + 1) / 2, v = (x[2 * i + 1] + 0.2) / 2;
            if (s.labels()[i] == 0) {
                assertEquals(1.0, Math.hypot(u, v), 1e-12);
                assertTrue(v >= -1e-12, "outer moon is the upper arc");
            } else {
                assertEquals(1.0, Math.hypot(u - 1, v - 0.5), 1e-12);
                assertTrue(v <= 0.5 + 1e-12, "inner moon is the lower arc");
            }
        }
        // Both ends of each arc are included (closed grid, §0).
        Set<String> pts = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            pts.add(Math.round(x[2 * i] * 1e9) + "," + Math.round(x[2 * i + 1] * 1e9));
        }
        assertTrue(pts.contains(Math.round(1e9) + "," + Math.round(-0.2e9)), "outer arc starts at s=0");
        assertTrue(pts.contains(Math.round(-3e9) + "," + Math.round(-0.2e9)), "outer arc ends at s=π");
    }

    @Test
    void moonsLabelGeometryWithDefaultNoise() {
        // Per label the means are analytic: outer moon (2·0 − 1, 2·2/π − 0.2), inner (2·1 − 1, 2(0.5 − 2/π) − 0.2).
        LabelledSet s = Toys2d.labelled("moons", BIG, 8);
        double[] x = s.x().toArray();
        double[] sx = new double[2], sy = new double[2];
        int[] c = new int[2];
        for (int i = 0; i < s.size(); i++) {
            int l = s.labels()[i];
            sx[l] += x[2 * i];
            sy[l] += x[2 * i + 1];
            c[l]++;
        }
        // The grid is deterministic, only the noise (std 0.2 after ×2) is random: standard error 0.0003.
        assertEquals(-1.0, sx[0] / c[0], 0.005);
        assertEquals(4 / Math.PI - 0.2, sy[0] / c[0], 0.005);
        assertEquals(1.0, sx[1] / c[1], 0.005);
        assertEquals(0.8 - 4 / Math.PI, sy[1] / c[1], 0.005);
    }

    @Test
    void moonsNoiseOptionWidensTheData() {
        double lo = variance(Toys2d.labelled("moons", 100_000, 1, Map.of("noise", 0.1)).x(), 1);
        double hi = variance(Toys2d.labelled("moons", 100_000, 1, Map.of("noise", 0.3)).x(), 1);
        // Noise adds (2σ)² to the variance: 0.32 more for σ = 0.3 than for 0.1.
        assertEquals(0.32, hi - lo, 0.03);
    }

    @Test
    void circlesAndRingsWithoutNoiseSitOnTheirRadii() {
        LabelledSet c = Toys2d.circles(999, 2, 0.0);
        double[] x = c.x().toArray();
        for (int i = 0; i < c.size(); i++) {
            assertEquals(c.labels()[i] == 0 ? 3.0 : 1.5, Math.hypot(x[2 * i], x[2 * i + 1]), 1e-12);
        }
        LabelledSet r = Toys2d.rings(1003, 2);
        int[] cnt = new int[4];
        double[] y = r.x().toArray();
        double[] radius = {3, 2.25, 1.5, 0.75};
        for (int i = 0; i < r.size(); i++) {
            int l = r.labels()[i];
            cnt[l]++;
            // Noise std 0.08 per coordinate: 6σ ≈ 0.5 would overlap rings, so check 0.375 (half the spacing).
            assertEquals(radius[l], Math.hypot(y[2 * i], y[2 * i + 1]), 0.375);
        }
        assertArrayEquals(new int[] {250, 250, 250, 253}, cnt);
    }

    @Test
    void twoSpiralsArmBMirrorsArmAWithoutNoise() {
        LabelledSet s = Toys2d.labelled("2spirals", 1001, 6, Map.of("noise", 0.0));
        double[] x = s.x().toArray();
        Set<Long> a = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            if (s.labels()[i] == 0) {
                a.add(Double.doubleToLongBits(-x[2 * i]) * 31 + Double.doubleToLongBits(-x[2 * i + 1]));
            }
        }
        for (int i = 0; i < s.size(); i++) {
            if (s.labels()[i] == 1) {
                assertTrue(a.contains(Double.doubleToLongBits(x[2 * i]) * 31 + Double.doubleToLongBits(x[2 * i + 1])),
                        "arm B point " + i + " is not a mirrored arm A point");
            }
        }
    }

    @Test
    void unknownNamesAndOptionsAreRejected() {
        DataException e = assertThrows(DataException.class, () -> Toys2d.sample("spiral", 10, 1));
        for (String n : Toys2d.densityNames()) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
        e = assertThrows(DataException.class, () -> Toys2d.labelled("pinwheel", 10, 1));
        for (String n : Toys2d.labelledNames()) {
            assertTrue(e.getMessage().contains(n), e.getMessage());
        }
        assertThrows(DataException.class, () -> Toys2d.labelled("moons", 10, 1, Map.of("nosie", 0.1)));
        assertThrows(DataException.class, () -> Toys2d.labelled("w1", 10, 1, Map.of("noise", 0.1)));
        assertThrows(DataException.class, () -> Toys2d.labelled("circles", 10, 1, Map.of("noise", -0.1)));
        assertThrows(DataException.class, () -> Toys2d.sample("moons", 0, 1));
    }

    private static double variance(Tensor t, int col) {
        double[] x = t.toArray();
        int n = t.dim(0);
        double m = 0;
        for (int i = 0; i < n; i++) {
            m += x[2 * i + col];
        }
        m /= n;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (x[2 * i + col] - m) * (x[2 * i + col] - m);
        }
        return s / n;
    }

    static Stream<String> densityNames() {
        return Toys2d.densityNames().stream();
    }

    static Stream<String> labelledNames() {
        return Stream.concat(Toys2d.labelledNames().stream(), Stream.of("w1"));
    }
}
