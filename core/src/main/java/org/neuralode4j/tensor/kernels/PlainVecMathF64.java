package org.neuralode4j.tensor.kernels;

/**
 * Plain-Java exp, log, tanh, sigmoid and softplus on doubles: the fallback behind {@link VecMathF64}, and
 * the scalar twin of {@code simd.SimdVecMathF64}, which hands tails and out-of-range lanes to these methods.
 *
 * <p>We use our own polynomials rather than {@code java.lang.Math} for two reasons. First, speed:
 * {@code Math.tanh} is not an intrinsic on JDK 17 (StrictMath's fdlibm port), and softplus and sigmoid need
 * several library calls per element. Second, the SIMD kernel has to match the scalar code exactly.
 * Every function here is the same sequence of IEEE operations as its vector twin (each {@code Math.fma} here
 * is a lane-wise fma there, and each selection here, by {@code ?:} or by sign-bit mask, is a blend there), so
 * the two kernel families give bit-identical results. A result then does not depend on the kernel family or on where an element falls
 * relative to the vector width. The coefficients are public only so that the SIMD class can share them.
 *
 * <p>Accuracy is measured in {@code VecMathF64Test} against {@code java.lang.Math}. Against 120-bit
 * reference values, the largest errors found were exp 1.06, log 0.76, tanh 1.97, sigmoid 2.13 and
 * softplus 1.44 ulp.
 */
public final class PlainVecMathF64 {
    /** {@code 1/ln 2}, to find k in x = k·ln2 + r. */
    public static final double LOG2E = 1.4426950408889634;
    /**
     * 1.5·2^52: adding it rounds to an integer k that can then be read from the low mantissa bits. This avoids
     * a double-to-long conversion, which AVX2 does not have.
     */
    public static final double SHIFTER = 0x1.8p52;
    /**
     * ln 2 rounded to double. With an fma, x − k·LN2_HI is exact for every k this code uses, so the Cody–Waite
     * split needs no zero low bits in the high part.
     */
    public static final double LN2_HI = 0.6931471805599453;
    /** ln 2 − {@link #LN2_HI}. */
    public static final double LN2_LO = 2.3190468138462996e-17;
    /** Bits of 1.0. Adding them to k<<52 gives 2^k. */
    public static final long ONE_BITS = 0x3ff0000000000000L;
    /** Bits of 0.5. Adding them to k<<52 gives 2^(k−1). */
    public static final long HALF_BITS = 0x3fe0000000000000L;
    /** Up to this |x|, 2^k is a normal double and a single scale factor is exact. */
    public static final double EXP_FAST_LIMIT = 708.0;

    /**
     * Coefficients of e^r on |r| ≤ ln2/2, degree 11, from a Chebyshev fit. The relative error after rounding
     * the coefficients is 1.7e-17.
     */
    public static final double E2 = 0.5000000000000019;
    public static final double E3 = 0.1666666666666668;
    public static final double E4 = 0.0416666666664881;
    public static final double E5 = 0.008333333333319601;
    public static final double E6 = 0.0013888888952314775;
    public static final double E7 = 0.00019841269890047113;
    public static final double E8 = 2.4801485482328494e-05;
    public static final double E9 = 2.755724091857897e-06;
    public static final double E10 = 2.763263963904103e-07;
    public static final double E11 = 2.5110037605963777e-08;

    /**
     * ln 2 split for the final k·ln2 of log. The high part has 32 significant bits, so k·LOG_LN2_HI is exact
     * and the sum is then rounded only once (the fdlibm constants).
     */
    public static final double LOG_LN2_HI = 6.93147180369123816490e-01;
    public static final double LOG_LN2_LO = 1.90821492927058770002e-10;
    /**
     * Added to the bits of x, this carries into the exponent exactly when the mantissa is at least √2, so
     * m = x/2^k falls in [√½, √2).
     */
    public static final long SQRT2_CARRY = 0x00095f619980c433L;
    public static final long EXP_MASK = 0x7ff0000000000000L;
    /** Bits of 2^52. OR-ing a small integer n into them gives the double 2^52 + n, which avoids long-to-double. */
    public static final long TWO52_BITS = 0x4330000000000000L;
    /** Subtracted from 2^52 + biased exponent to leave the exponent k. */
    public static final double LOG_EXP_BIAS = 0x1p52 + 1023;
    /**
     * Coefficients of R(z) = z·(LG0 + LG1·z + … + LG7·z^7), where 2·atanh(s) = 2s + s·R(s²). This is a
     * Chebyshev fit on s ≤ 0.2, wider than fdlibm's √2 − 1 bound of 0.172, because log1p of t < 0.5 in
     * softplus reaches s = 0.2. The relative error is 7.4e-19.
     */
    public static final double LG0 = 0.6666666666666666;
    public static final double LG1 = 0.400000000000078;
    public static final double LG2 = 0.2857142856733919;
    public static final double LG3 = 0.22222223037807243;
    public static final double LG4 = 0.18181738454723026;
    public static final double LG5 = 0.15388834677801916;
    public static final double LG6 = 0.1321036048513262;
    public static final double LG7 = 0.13604015707124079;

    /** tanh(|x|) rounds to 1 beyond 19.1. Clamping here keeps e^{2|x|} finite and in the fast range of exp. */
    public static final double TANH_SAT = 22.0;
    /** Below this |x| (where h = (e^{2|x|} − 1)/2 &lt; 0.86), tanh refines h/(1 + h) by one step t ← h − h·t. */
    public static final double TANH_REFINE = 0.5;

    public static final long SIGN_BIT = 0x8000000000000000L;

    /** Bits of {@link #SHIFTER}: subtracting them from the bits of x·log2e + SHIFTER leaves k. */
    private static final long SHIFTER_BITS = 0x4338000000000000L;
    private static final long MIN_NORMAL_BITS = 0x0010000000000000L;
    private static final long INF_BITS = 0x7ff0000000000000L;

    private PlainVecMathF64() {}

    /** y[yOff+i] = e^x[xOff+i] for i in [0, n). */
    public static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = exp(x[xOff + i]);
        }
    }

    /** y[yOff+i] = ln x[xOff+i] for i in [0, n). */
    public static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = log(x[xOff + i]);
        }
    }

    /** y[yOff+i] = tanh x[xOff+i] for i in [0, n). */
    public static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
        }
    }

    /**
     * out = g·(1 − y²) and colSums[j] += column sums, over columns [j0, n) of an m×n block; the scalar twin of
     * {@code SimdVecMathF64.tanhBackwardRows}, which passes the columns past its last full vector.
     */
    public static void tanhBackwardRows(double[] g, double[] y, double[] out, double[] colSums, int m, int n, int j0) {
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = j0; j < n; j++) {
                double yj = y[o + j];
                double v = g[o + j] * (1.0 - yj * yj);
                out[o + j] = v;
                colSums[j] += v;
            }
        }
    }

    /** y[yOff+i] = 1/(1 + e^−x[xOff+i]) for i in [0, n). */
    public static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    /** y[yOff+i] = ln(1 + e^x[xOff+i]) for i in [0, n). */
    public static void softplus(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = softplus(x[xOff + i]);
        }
    }

    /** e^x, within 2 ulp of {@code Math.exp}, including subnormal results, ±Inf and NaN. */
    public static double exp(double x) {
        if (x > 710.0) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < -746.0) {
            return 0.0;
        }
        double kd = Math.fma(x, LOG2E, SHIFTER);
        long kBits = Double.doubleToRawLongBits(kd);
        double em1 = expm1Reduced(reduce(x, kd));
        if (!(Math.abs(x) > EXP_FAST_LIMIT)) { // NaN also goes here: em1 is NaN, and so is the result
            double scale = Double.longBitsToDouble((kBits << 52) + ONE_BITS);
            return Math.fma(scale, em1, scale);
        }
        // Near overflow or underflow, 2^k is not a normal double. Scaling by two normal halves keeps
        // (1 + em1)·2^k1 exact, so the only further rounding is the final one, into the subnormal or infinite result.
        long k = kBits - SHIFTER_BITS;
        long k1 = k >> 1;
        return (1.0 + em1) * Double.longBitsToDouble((k1 << 52) + ONE_BITS)
                * Double.longBitsToDouble(((k - k1) << 52) + ONE_BITS);
    }

    /** r = x − k·ln2, where kd = x·log2e + SHIFTER holds k. Exact but for the last step, which rounds once. */
    static double reduce(double x, double kd) {
        double k = kd - SHIFTER;
        return Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, x));
    }

    /**
     * e^r − 1 for |r| ≤ ln2/2, as r + r²·P(r). The caller adds the 1 inside its final fma with 2^k, which saves
     * a rounding and a step of latency. P is evaluated in Estrin form, which halves the dependency chain of
     * Horner's rule and lets the vector kernel keep more iterations in flight. Its rounding errors are
     * damped by r² ≤ 0.12.
     */
    static double expm1Reduced(double r) {
        double r2 = r * r;
        double r4 = r2 * r2;
        double q1 = Math.fma(Math.fma(E5, r, E4), r2, Math.fma(E3, r, E2));
        double q2 = Math.fma(Math.fma(E9, r, E8), r2, Math.fma(E7, r, E6));
        double p = Math.fma(Math.fma(Math.fma(E11, r, E10), r4, q2), r4, q1);
        return Math.fma(r2, p, r);
    }

    /** ln x, within 2 ulp of {@code Math.log}. Gives −Inf for ±0, NaN below 0, and handles subnormals. */
    public static double log(double x) {
        long ix = Double.doubleToRawLongBits(x);
        double bias = LOG_EXP_BIAS;
        if (ix < MIN_NORMAL_BITS || ix >= INF_BITS) { // negative, zero, subnormal, +Inf or NaN
            if (x == 0.0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (ix < 0 || ix > INF_BITS) {
                return Double.NaN;
            }
            if (ix == INF_BITS) {
                return x;
            }
            ix = Double.doubleToRawLongBits(x * 0x1p54);
            bias += 54;
        }
        long u = ix + SQRT2_CARRY;
        double kd = Double.longBitsToDouble((u >>> 52) | TWO52_BITS) - bias;
        double f = Double.longBitsToDouble(ix - (u & EXP_MASK) + ONE_BITS) - 1.0;
        return log1pKernel(f, kd);
    }

    /**
     * log(1 + f) + kd·ln2, for 1 + f in [0.66, 1.5] (|s| ≤ 0.2), with s = f/(2 + f) and
     * log(1 + f) = f − hfsq + s·(hfsq + R). This is fdlibm's arrangement: the small terms are summed first and
     * the large ones, f and kd·ln2_hi, last, so each rounding error is small relative to the result.
     */
    static double log1pKernel(double f, double kd) {
        double hfsq = 0.5 * f * f;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double a = Math.fma(w, Math.fma(w, Math.fma(w, LG6, LG4), LG2), LG0);
        double b = Math.fma(w, Math.fma(w, Math.fma(w, LG7, LG5), LG3), LG1);
        double r = Math.fma(z, a, w * b);
        return Math.fma(s, hfsq + r, kd * LOG_LN2_LO) - hfsq + f + kd * LOG_LN2_HI;
    }

    /**
     * ln(1 + t) for t in [0, 1]. From t = 0.5 on, it uses 1 + t = 2·m with f = m − 1 = (t − 1)/2, which is exact
     * there (Sterbenz). That is why the switch is at 0.5 rather than at √2 − 1.
     */
    static double log1pUnit(double t) {
        boolean big = t >= 0.5;
        return log1pKernel(big ? (t - 1.0) * 0.5 : t, big ? 1.0 : 0.0);
    }

    /**
     * tanh x, within 2 ulp of {@code Math.tanh}; odd, so tanh(−0) = −0. With z = |x| and h = (e^{2z} − 1)/2,
     * tanh z = h/(1 + h). Here h comes from the e^r − 1 kernel, with 2^(k−1) built directly, so it keeps its full
     * relative accuracy as z → 0 and tanh z ≈ z needs no separate polynomial. That leaves one exp and one
     * division, and the SIMD twin does not compute and blend two approximations. Below
     * {@link #TANH_REFINE}, one step of t ← h − h·t, a contraction by h &lt; 1, removes most of the rounding error
     * of the division and of 1 + h.
     */
    public static double tanh(double x) {
        double z = Math.abs(x);
        double zc = z > TANH_SAT ? TANH_SAT : z;
        double kd = Math.fma(zc, 2 * LOG2E, SHIFTER);
        double hs = Double.longBitsToDouble((Double.doubleToRawLongBits(kd) << 52) + HALF_BITS);
        double h = Math.fma(hs, expm1Reduced(reduce(zc + zc, kd)), hs - 0.5);
        double q = h / (h + 1.0);
        double t = z < TANH_REFINE ? Math.fma(-h, q, h) : q;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(t) | (Double.doubleToRawLongBits(x) & SIGN_BIT));
    }

    /**
     * 1/(1 + e^−x), within about 2 ulp. For x &lt; 0 it is computed as e^x/(1 + e^x), so that very negative x gives
     * e^x down into the subnormals rather than 1/Inf = 0.
     */
    public static double sigmoid(double x) {
        double t = exp(-Math.abs(x));
        // A sign-bit mask rather than ?:, which C2 compiles to a branch that random signs mispredict.
        long negative = Double.doubleToRawLongBits(x) >> 63;
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) & negative) | (ONE_BITS & ~negative)) / (t + 1.0);
    }

    /** ln(1 + e^x) = max(x, 0) + log1p(e^−|x|), within 3 ulp; never overflows. */
    public static double softplus(double x) {
        long xBits = Double.doubleToRawLongBits(x);
        // max(x, 0) by sign-bit mask, for the same reason as in sigmoid.
        return Double.longBitsToDouble(xBits & ~(xBits >> 63)) + log1pUnit(exp(-Math.abs(x)));
    }
}
