package org.neuralode4j.tensor;

/**
 * An explicit, seeded random generator (xoshiro256**, seeded through SplitMix64). Every random draw in the
 * library takes one of these, so that a run is reproducible from its seed and independent of the JDK version
 * (java.util.Random's streams are not specified for all methods).
 *
 * <p>Transcendentals go through {@code StrictMath}: {@code Math.log} and friends may return different last bits
 * in the interpreter and in JIT-compiled code, which made a run's first repetition differ from later ones.
 *
 * <p>Not thread-safe: give each thread its own generator ({@link #split()}).
 */
public final class Rng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareNormal = Double.NaN;

    private Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    /** A generator whose stream is fixed by {@code seed}. */
    public static Rng seeded(long seed) {
        return new Rng(seed);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A new independent generator seeded from this one's stream. */
    public Rng split() {
        return new Rng(nextLong());
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        // Lemire's multiply-shift with rejection: unbiased for every bound.
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
    public double nextGaussian() {
        if (!Double.isNaN(spareNormal)) {
            double v = spareNormal;
            spareNormal = Double.NaN;
            return v;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(u1));
        double a = 2.0 * Math.PI * u2;
        spareNormal = r * StrictMath.sin(a);
        return r * StrictMath.cos(a);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A tensor of independent N(mean, std²) values. */
    public Tensor normal(double mean, double std, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * nextGaussian();
        }
        return Tensor.wrap(s, v);
    }

    /** {@link #normal(double, double, int...)} in {@code dtype}: the same draws, rounded to float for F32. */
    public Tensor normal(DType dtype, double mean, double std, int... dims) {
        return normal(mean, std, dims).to(dtype);
    }

    /** {@link #uniform(double, double, int...)} in {@code dtype}: the same draws, rounded to float for F32. */
    public Tensor uniform(DType dtype, double lo, double hi, int... dims) {
        return uniform(lo, hi, dims).to(dtype);
    }

    /** {@link #rademacher(int...)} in {@code dtype}. */
    public Tensor rademacher(DType dtype, int... dims) {
        return rademacher(dims).to(dtype);
    }

    /** A tensor of independent N(0, 1) values. */
    public Tensor normal(int... dims) {
        return normal(0.0, 1.0, dims);
    }

    /** A tensor of independent U(lo, hi) values. */
    public Tensor uniform(double lo, double hi, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        double w = hi - lo;
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + w * nextDouble();
        }
        return Tensor.wrap(s, v);
    }

    /** A tensor of independent ±1 values with equal probability (Rademacher). */
    public Tensor rademacher(int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        int i = 0;
        while (i < v.length) {
            long bits = nextLong();
            for (int b = 0; b < 64 && i < v.length; b++, i++) {
                v[i] = ((bits >>> b) & 1L) == 0 ? -1.0 : 1.0;
            }
        }
        return Tensor.wrap(s, v);
    }
}
