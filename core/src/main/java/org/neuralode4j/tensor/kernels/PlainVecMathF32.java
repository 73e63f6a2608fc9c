package org.neuralode4j.tensor.kernels;

/**
 * Scalar float32 exp, log, tanh, sigmoid and softplus: the plain-Java twin of {@code simd.SimdVecMathF32}, to
 * which it is bit-identical (same float operations in the same order, no fused multiply–add; Java float
 * arithmetic is IEEE round-to-nearest on every JVM since 17).
 *
 * <p>The polynomials are Cephes' single-precision ones (expf, logf, tanhf), a few ulp of float at most. Each
 * function has a fast path for the arguments the vector twin handles in lanes and a slow path through
 * {@code StrictMath} in double for the rest (overflow, subnormal results, non-positive or subnormal log
 * arguments): the vector twin hands a whole vector here when any lane needs the slow path, so both families
 * take the same path per element.
 */
public final class PlainVecMathF32 {
    /** |x| above this leaves exp's fast path (2^k must stay a normal float). */
    public static final float EXP_FAST_LIMIT = 87f;
    public static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    public static final float SHIFTER = 0x1.8p23f;
    public static final int SHIFTER_BITS = 0x4b400000;
    /** ln 2 split so that k·LN2_HI is exact for |k| ≤ 2^15. */
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    public static final float P0 = 1.9875691500e-4f;
    public static final float P1 = 1.3981999507e-3f;
    public static final float P2 = 8.3334519073e-3f;
    public static final float P3 = 4.1665795894e-2f;
    public static final float P4 = 1.6666665459e-1f;
    public static final float P5 = 5.0000001201e-1f;
    /** Bits of √½: mantissas are reduced to [√½, √2) for log's polynomial. */
    public static final int SQRT_HALF_BITS = 0x3f3504f3;
    public static final float L0 = 7.0376836292e-2f;
    public static final float L1 = -1.1514610310e-1f;
    public static final float L2 = 1.1676998740e-1f;
    public static final float L3 = -1.2420140846e-1f;
    public static final float L4 = 1.4249322787e-1f;
    public static final float L5 = -1.6668057665e-1f;
    public static final float L6 = 2.0000714765e-1f;
    public static final float L7 = -2.4999993993e-1f;
    public static final float L8 = 3.3333331174e-1f;
    /** Below this |x| tanh uses its odd polynomial; above, 1 − 2/(e^{2|x|} + 1). */
    public static final float TANH_SMALL = 0.625f;
    /** tanh rounds to ±1 long before 2|x| reaches this; clamping keeps exp on its fast path. */
    public static final float TANH_CLAMP = 80f;
    public static final float T0 = -5.70498872745e-3f;
    public static final float T1 = 2.06390887954e-2f;
    public static final float T2 = -5.37397155531e-2f;
    public static final float T3 = 1.33314422036e-1f;
    public static final float T4 = -3.33332819422e-1f;
    public static final int SIGN_BIT = 0x80000000;
    /** tanh's rational approximation p(x)/q(x) (Eigen's float tanh) holds up to here; beyond, it rounds to ±1. */
    public static final float TANH_RATIONAL_CLAMP = 7.90531110763549805f;
    /** Below this |x|, tanh x rounds to x. */
    public static final float TANH_TINY = 0.0004f;
    public static final float A1 = 4.89352455891786e-03f;
    public static final float A3 = 6.37261928875436e-04f;
    public static final float A5 = 1.48572235717979e-05f;
    public static final float A7 = 5.12229709037114e-08f;
    public static final float A9 = -8.60467152213735e-11f;
    public static final float A11 = 2.00018790482477e-13f;
    public static final float A13 = -2.76076847742355e-16f;
    public static final float B0 = 4.89352518554385e-03f;
    public static final float B2 = 2.26843463243900e-03f;
    public static final float B4 = 1.18534705686654e-04f;
    public static final float B6 = 1.19825839466702e-06f;

    private PlainVecMathF32() {}

    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = exp(x[xOff + i]);
        }
    }

    public static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = log(x[xOff + i]);
        }
    }

    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
        }
    }

    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    public static void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = softplus(x[xOff + i]);
        }
    }

    /** out = g·(1 − y²), colSums[j] += column sums, over columns [j0, n) of an m×n block (see VecMathF32). */
    public static void tanhBackwardRows(float[] g, float[] y, float[] out, float[] colSums, int m, int n, int j0) {
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = j0; j < n; j++) {
                float yj = y[o + j];
                float v = g[o + j] * (1f - yj * yj);
                out[o + j] = v;
                colSums[j] += v;
            }
        }
    }

    public static float exp(float x) {
        return Math.abs(x) > EXP_FAST_LIMIT ? (float) StrictMath.exp(x) : expFast(x);
    }

    /** e^x for |x| ≤ 87 (or NaN): k = round(x/ln 2), r = x − k·ln 2, e^r by polynomial, times 2^k from bits. */
    static float expFast(float x) {
        float t = x * LOG2E + SHIFTER;
        float k = t - SHIFTER;
        float r = (x - k * LN2_HI) - k * LN2_LO;
        float p = (((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5) * (r * r) + r + 1f;
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - SHIFTER_BITS + 127) << 23);
    }

    public static float log(float x) {
        return x >= Float.MIN_NORMAL && x <= Float.MAX_VALUE ? logNormal(x) : (float) StrictMath.log(x);
    }

    /** ln x for a positive normal x: x = 2^k·m with m in [√½, √2), ln m by Cephes' polynomial in f = m − 1. */
    static float logNormal(float x) {
        int bits = Float.floatToRawIntBits(x);
        int tmp = bits - SQRT_HALF_BITS;
        float k = (float) (tmp >> 23);
        float f = Float.intBitsToFloat(bits - (tmp & 0xff800000)) - 1f;
        float z = f * f;
        float y = ((((((((L0 * f + L1) * f + L2) * f + L3) * f + L4) * f + L5) * f + L6) * f + L7) * f + L8) * f * z;
        y = y + k * LN2_LO;
        y = y - 0.5f * z;
        return (f + y) + k * LN2_HI;
    }

    /**
     * tanh as the odd rational function p(a)/q(a) of a = min(|x|, 7.905) (degrees 13 and 6, Eigen's float
     * coefficients), sign restored from x, and x itself below 0.0004: one division and 12 multiply–adds, no exp.
     */
    public static float tanh(float x) {
        float a = Math.min(Math.abs(x), TANH_RATIONAL_CLAMP);
        float z = a * a;
        float p = ((((((A13 * z + A11) * z + A9) * z + A7) * z + A5) * z + A3) * z + A1) * a;
        float q = ((B6 * z + B4) * z + B2) * z + B0;
        float r = a < TANH_TINY ? a : p / q;
        return Float.intBitsToFloat(Float.floatToRawIntBits(r) | (Float.floatToRawIntBits(x) & SIGN_BIT));
    }

    /** 1/(1 + e^−|x|) for x ≥ 0, e^−|x|/(1 + e^−|x|) below: one exp and one division, tiny but nonzero far left. */
    public static float sigmoid(float x) {
        float a = Math.abs(x);
        float e = a > EXP_FAST_LIMIT ? (float) StrictMath.exp(-a) : expFast(-a);
        float q = 1f / (1f + e);
        return x < 0f ? e * q : q;
    }

    /** max(x, 0) + log1p(e^−|x|), log1p(u) as ln(w)·u/(w − 1) with w = 1 + u (Goldberg), or u when w rounds to 1. */
    public static float softplus(float x) {
        float a = Math.abs(x);
        float m = Math.max(x, 0f);
        if (a > EXP_FAST_LIMIT) {
            return m + (float) StrictMath.exp(-a);
        }
        float u = expFast(-a);
        float w = 1f + u;
        float l = w == 1f ? u : logNormal(w) * (u / (w - 1f));
        return m + l;
    }
}
