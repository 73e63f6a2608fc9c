package org.neuralode4j.data;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Seeded two-dimensional toy data sets (datasets.md §0–2): FFJORD's density toys (§1: 8gaussians, pinwheel,
 * checkerboard, 2spirals, circles, moons, rings, swissroll) and the labelled two-class sets (§2: disk-annulus
 * alias w1, moons, 2spirals, circles).
 *
 * <p>Every generator is a pure function of (name, n, seed, options). It draws only from {@link Rng#seeded} in
 * the order of the spec's pseudo-code and computes transcendentals with {@code StrictMath}, so equal arguments
 * give bitwise-equal output on every JDK and in interpreted as well as JIT-compiled code. Rows come back in
 * random order (any prefix is a fair sample), in float64, shape [n, 2].
 */
public final class Toys2d {
    private Toys2d() {}

    /** FFJORD's divisor for 8gaussians: the literal 1.414, not √2 (§1.1), so densities match the reference. */
    private static final double EIGHT_GAUSSIANS_SCALE = 1.414;

    private static final double DEFAULT_MOONS_NOISE = 0.1;
    private static final double DEFAULT_CIRCLES_NOISE = 0.08;
    private static final double DEFAULT_SPIRALS_NOISE = 0.1;
    private static final double RINGS_NOISE = 0.08;

    private static final List<String> DENSITY_NAMES =
            List.of("8gaussians", "pinwheel", "checkerboard", "2spirals", "circles", "moons", "rings", "swissroll");
    private static final List<String> LABELLED_NAMES = List.of("disk-annulus", "moons", "2spirals", "circles");

    /** Names accepted by {@link #sample}, in the spec's order (§1). */
    public static List<String> densityNames() {
        return DENSITY_NAMES;
    }

    /** Canonical names accepted by {@link #labelled} (§2); {@code w1} is also accepted as an alias of disk-annulus. */
    public static List<String> labelledNames() {
        return LABELLED_NAMES;
    }

    // ---------------------------------------------------------------- public entry points

    /**
     * n points of the density toy {@code name} (§1), shape [n, 2], with FFJORD's default parameters.
     *
     * @throws DataException for an unknown name (the message lists the valid ones) or n &lt; 1
     */
    public static Tensor sample(String name, int n, long seed) {
        checkN(n);
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "8gaussians" -> eightGaussians(n, seed).x();
            case "pinwheel" -> pinwheel(n, seed).x();
            case "checkerboard" -> checkerboard(n, seed);
            case "2spirals" -> twoSpirals(n, seed, DEFAULT_SPIRALS_NOISE).x();
            case "circles" -> circles(n, seed, DEFAULT_CIRCLES_NOISE).x();
            case "moons" -> moons(n, seed, DEFAULT_MOONS_NOISE).x();
            case "rings" -> rings(n, seed).x();
            case "swissroll" -> swissroll(n, seed);
            default -> throw new DataException("unknown density data set \"" + name + "\" (valid: "
                    + String.join(", ", DENSITY_NAMES) + ")");
        };
    }

    /** The labelled two-class set {@code name} (§2) with default options; labels ⌊n/2⌋ zeros, the rest ones. */
    public static LabelledSet labelled(String name, int n, long seed) {
        return labelled(name, n, seed, Map.of());
    }

    /**
     * The labelled two-class set {@code name} (§2). Options: {@code noise} (the Gaussian std before the final
     * scaling, as in scikit-learn) for moons (default 0.1), circles (0.08) and 2spirals (0.1); disk-annulus takes
     * none. Labels per §2: disk 0 / annulus 1, outer moon 0 / inner 1, arm A 0 / arm B 1, outer circle 0 / inner 1.
     *
     * @throws DataException for an unknown name or option, a negative or non-finite noise, or n &lt; 1
     */
    public static LabelledSet labelled(String name, int n, long seed, Map<String, Double> options) {
        checkN(n);
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        Map<String, Double> opts = options == null ? Map.of() : options;
        return switch (key) {
            case "disk-annulus", "w1" -> {
                checkOptions(key, opts, List.of());
                yield diskAnnulus(n, seed);
            }
            case "moons" -> moons(n, seed, noise(key, opts, DEFAULT_MOONS_NOISE));
            case "2spirals" -> twoSpirals(n, seed, noise(key, opts, DEFAULT_SPIRALS_NOISE));
            case "circles" -> circles(n, seed, noise(key, opts, DEFAULT_CIRCLES_NOISE));
            default -> throw new DataException("unknown labelled data set \"" + name + "\" (valid: "
                    + String.join(", ", LABELLED_NAMES) + "; w1 is an alias of disk-annulus)");
        };
    }

    // ---------------------------------------------------------------- §2 disk-annulus

    /**
     * disk-annulus, the W1 set (datasets.md §2): ⌊n/2⌋ points with label 0 uniform by area in the disk r &lt; 0.5,
     * the rest with label 1 uniform in the annulus 1 &lt; r &lt; 1.5, then shuffled.
     */
    public static LabelledSet diskAnnulus(int n, long seed) {
        // Unchanged since the W1 benchmark was recorded: its numbers depend on this exact draw order.
        Rng rng = Rng.seeded(seed);
        int n0 = n / 2;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double r = i < n0 ? 0.5 * Math.sqrt(rng.nextDouble()) : Math.sqrt(1 + 1.25 * rng.nextDouble());
            double th = 2 * Math.PI * rng.nextDouble();
            x[2 * i] = r * StrictMath.cos(th);
            x[2 * i + 1] = r * StrictMath.sin(th);
            y[i] = i < n0 ? 0 : 1;
        }
        return shuffle(rng, x, y);
    }

    // ---------------------------------------------------------------- §1 generators

    /** §1.1: equal mixture of 8 Gaussians on radius 4/1.414; labels = component index k (FFJORD's centre order). */
    static LabelledSet eightGaussians(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        double h = 1.0 / Math.sqrt(2.0);
        double[][] d = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {h, h}, {h, -h}, {-h, h}, {-h, -h}};
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(8);
            double e1 = rng.nextGaussian();
            double e2 = rng.nextGaussian();
            x[2 * i] = (4 * d[k][0] + 0.5 * e1) / EIGHT_GAUSSIANS_SCALE;
            x[2 * i + 1] = (4 * d[k][1] + 0.5 * e2) / EIGHT_GAUSSIANS_SCALE;
            y[i] = k;
        }
        // k is drawn per row, so the rows are already in random order: no shuffle needed (§0).
        return new LabelledSet(Tensor.of(x, n, 2), y);
    }

    /** §1.2: 5 arms, radial std 0.3, tangential std 0.1, rate 0.25; labels = arm index. */
    static LabelledSet pinwheel(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        int arms = 5;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        int row = 0;
        for (int k = 0; k < arms; k++) {
            // Arm sizes ⌊n/5⌋, the first n mod 5 arms one more, so exactly n rows come back (§0).
            int size = n / arms + (k < n % arms ? 1 : 0);
            for (int j = 0; j < size; j++, row++) {
                double a = 1 + 0.3 * rng.nextGaussian();
                double b = 0.1 * rng.nextGaussian();
                double phi = 2 * Math.PI * k / arms + 0.25 * StrictMath.exp(a);
                double c = StrictMath.cos(phi);
                double s = StrictMath.sin(phi);
                x[2 * row] = 2 * (a * c + b * s);
                x[2 * row + 1] = 2 * (-a * s + b * c);
                y[row] = k;
            }
        }
        return shuffle(rng, x, y);
    }

    /** §1.3: uniform on the 8 "even" cells of side 2 in [−4, 4)². */
    static Tensor checkerboard(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double u = 4 * rng.nextDouble() - 2;
            double v = rng.nextDouble() - 2 * rng.nextInt(2);
            // floorMod, not %: the cell parity of u ∈ [−2, −1) must be 1, and % would give −1.
            double w = v + Math.floorMod((long) Math.floor(u), 2L);
            x[2 * i] = 2 * u;
            x[2 * i + 1] = 2 * w;
        }
        return Tensor.of(x, n, 2);
    }

    /** §1.4: two interleaved spirals; arm A label 0, arm B (A mirrored through the origin) label 1. */
    static LabelledSet twoSpirals(int n, long seed, double noise) {
        Rng rng = Rng.seeded(seed);
        int m = (n + 1) / 2;
        int mb = n / 2;
        double[] p = new double[2 * m];
        for (int i = 0; i < m; i++) {
            double r = 3 * Math.PI * Math.sqrt(rng.nextDouble());
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            p[2 * i] = -r * StrictMath.cos(r) + 0.5 * u1;
            p[2 * i + 1] = r * StrictMath.sin(r) + 0.5 * u2;
        }
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < m; i++) {
            x[2 * i] = p[2 * i] / 3;
            x[2 * i + 1] = p[2 * i + 1] / 3;
        }
        for (int i = 0; i < mb; i++) {
            // Mirrored before the noise, so the two arms get independent noise (§1.4).
            x[2 * (m + i)] = -p[2 * i] / 3;
            x[2 * (m + i) + 1] = -p[2 * i + 1] / 3;
            y[m + i] = 1;
        }
        for (int i = 0; i < 2 * n; i++) {
            x[i] += noise * rng.nextGaussian();
        }
        return shuffle(rng, x, y);
    }

    /** §1.5: make_circles(n, factor 0.5, noise) ×3; outer label 0, inner label 1, angles on a fixed grid. */
    static LabelledSet circles(int n, long seed, double noise) {
        Rng rng = Rng.seeded(seed);
        int nOut = n / 2;
        int nIn = n - nOut;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        ring(x, 0, nOut, 1.0);
        ring(x, nOut, nIn, 0.5);
        for (int i = nOut; i < n; i++) {
            y[i] = 1;
        }
        LabelledSet s = shuffle(rng, x, y);
        double[] v = s.x().toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = 3 * (v[i] + noise * rng.nextGaussian());
        }
        return new LabelledSet(Tensor.of(v, n, 2), s.labels());
    }

    /** §1.6: make_moons(n, noise) then ×2 + (−1, −0.2); outer moon label 0, inner label 1. */
    static LabelledSet moons(int n, long seed, double noise) {
        Rng rng = Rng.seeded(seed);
        int nOut = n / 2;
        int nIn = n - nOut;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int k = 0; k < nOut; k++) {
            double s = closed(0, Math.PI, nOut, k);
            x[2 * k] = StrictMath.cos(s);
            x[2 * k + 1] = StrictMath.sin(s);
        }
        for (int k = 0; k < nIn; k++) {
            double s = closed(0, Math.PI, nIn, k);
            int i = nOut + k;
            x[2 * i] = 1 - StrictMath.cos(s);
            x[2 * i + 1] = 0.5 - StrictMath.sin(s);
            y[i] = 1;
        }
        LabelledSet s = shuffle(rng, x, y);
        double[] v = s.x().toArray();
        for (int i = 0; i < n; i++) {
            v[2 * i] = 2 * (v[2 * i] + noise * rng.nextGaussian()) - 1;
            v[2 * i + 1] = 2 * (v[2 * i + 1] + noise * rng.nextGaussian()) - 0.2;
        }
        return new LabelledSet(Tensor.of(v, n, 2), s.labels());
    }

    /** §1.7: rings of radius 3, 2.25, 1.5, 0.75 (after ×3), noise 0.08 after scaling; labels = ring, outer 0. */
    static LabelledSet rings(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        double[] radii = {1.0, 0.75, 0.5, 0.25};
        int q = n / 4;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        int off = 0;
        for (int r = 0; r < 4; r++) {
            int size = r < 3 ? q : n - 3 * q;
            ring(x, off, size, 3 * radii[r]);
            for (int i = off; i < off + size; i++) {
                y[i] = r;
            }
            off += size;
        }
        LabelledSet s = shuffle(rng, x, y);
        double[] v = s.x().toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += RINGS_NOISE * rng.nextGaussian();
        }
        return new LabelledSet(Tensor.of(v, n, 2), s.labels());
    }

    /** §1.8: make_swissroll(noise 1) columns x, z, ÷5; the discarded height is not drawn. */
    static Tensor swissroll(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double s = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            double e1 = rng.nextGaussian();
            double e2 = rng.nextGaussian();
            x[2 * i] = (s * StrictMath.cos(s) + e1) / 5;
            x[2 * i + 1] = (s * StrictMath.sin(s) + e2) / 5;
        }
        return Tensor.of(x, n, 2);
    }

    // ---------------------------------------------------------------- helpers

    /** Writes {@code size} points of radius {@code radius} at angles open(0, 2π, size) into rows off.. of x. */
    private static void ring(double[] x, int off, int size, double radius) {
        for (int k = 0; k < size; k++) {
            double t = 2 * Math.PI * k / size;
            x[2 * (off + k)] = radius * StrictMath.cos(t);
            x[2 * (off + k) + 1] = radius * StrictMath.sin(t);
        }
    }

    /** closed(a, b, m)_k = a + (b − a)k/(m − 1); m = 1 gives a (§0). */
    private static double closed(double a, double b, int m, int k) {
        return m == 1 ? a : a + (b - a) * k / (m - 1);
    }

    /** Fisher–Yates over rows (Rng.permutation), labels moving with their rows. */
    private static LabelledSet shuffle(Rng rng, double[] x, int[] y) {
        int n = y.length;
        int[] perm = rng.permutation(n);
        double[] xs = new double[2 * n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = x[2 * perm[i]];
            xs[2 * i + 1] = x[2 * perm[i] + 1];
            ys[i] = y[perm[i]];
        }
        return new LabelledSet(Tensor.of(xs, n, 2), ys);
    }

    private static void checkN(int n) {
        if (n < 1 || n > (Integer.MAX_VALUE - 8) / 2) {
            throw new DataException("number of points must be between 1 and " + (Integer.MAX_VALUE - 8) / 2 + ", got " + n);
        }
    }

    private static void checkOptions(String set, Map<String, Double> opts, List<String> allowed) {
        for (String k : opts.keySet()) {
            if (!allowed.contains(k)) {
                throw new DataException("data set " + set + ": unknown option \"" + k + "\""
                        + (allowed.isEmpty() ? " (it takes no options)" : " (valid: " + String.join(", ", allowed) + ")"));
            }
        }
    }

    private static double noise(String set, Map<String, Double> opts, double dflt) {
        checkOptions(set, opts, List.of("noise"));
        Double v = opts.get("noise");
        if (v == null) {
            return dflt;
        }
        if (!Double.isFinite(v) || v < 0) {
            throw new DataException("data set " + set + ": noise must be a finite number >= 0, got " + v);
        }
        return v;
    }
}
