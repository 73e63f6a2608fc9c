package org.neuralode4j.tensor.kernels.simd;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static org.neuralode4j.tensor.kernels.PlainVecMathF32.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neuralode4j.tensor.kernels.PlainVecMathF32;

/**
 * Vector API float32 exp, log, tanh, sigmoid and softplus, 8 lanes on AVX2: the lane-wise transcription of
 * {@link PlainVecMathF32} (same constants, same operations in the same order, so bit-identical to it). A vector
 * with a lane outside a function's fast path (see there) goes to the scalar twin whole; the tail past the last
 * full vector too. Dispatched from {@code VecMathF32}.
 *
 * <p>tanh is a rational function (one division, 12 multiply–adds per vector, no exp, no lane-dependent control
 * flow): 1.4 ns per element with the exp-based form it replaced, measured in the same run as this one (see
 * {@code bench engine --dtype f32}).
 */
public final class SimdVecMathF32 {
    private static final VectorSpecies<Float> F32 = SimdInfo.F32;
    private static final int LANES = F32.length();

    private SimdVecMathF32() {}

    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F32.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F32, x, xOff + i);
            if (v.abs().compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF32.exp(x, xOff + i, y, yOff + i, LANES);
            } else {
                expFast(v).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF32.exp(x, xOff + i, y, yOff + i, n - i);
    }

    public static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F32.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F32, x, xOff + i);
            if (!v.compare(GE, Float.MIN_NORMAL).and(v.compare(LE, Float.MAX_VALUE)).allTrue()) {
                PlainVecMathF32.log(x, xOff + i, y, yOff + i, LANES);
            } else {
                logNormal(v).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF32.log(x, xOff + i, y, yOff + i, n - i);
    }

    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F32.loopBound(n); i < bound; i += LANES) {
            tanh(FloatVector.fromArray(F32, x, xOff + i)).intoArray(y, yOff + i);
        }
        PlainVecMathF32.tanh(x, xOff + i, y, yOff + i, n - i);
    }

    /** out = g·(1 − y²) over an m×n block, colSums[j] += its column sums; see {@code VecMathF32.tanhBackwardRows}. */
    public static void tanhBackwardRows(float[] g, float[] y, float[] out, float[] colSums, int m, int n) {
        int bound = F32.loopBound(n);
        FloatVector one = FloatVector.broadcast(F32, 1f);
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector yv = FloatVector.fromArray(F32, y, o + j);
                FloatVector v = FloatVector.fromArray(F32, g, o + j).mul(one.sub(yv.mul(yv)));
                v.intoArray(out, o + j);
                FloatVector.fromArray(F32, colSums, j).add(v).intoArray(colSums, j);
            }
        }
        if (bound < n) {
            PlainVecMathF32.tanhBackwardRows(g, y, out, colSums, m, n, bound);
        }
    }

    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F32.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F32, x, xOff + i);
            FloatVector a = v.abs();
            if (a.compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF32.sigmoid(x, xOff + i, y, yOff + i, LANES);
            } else {
                FloatVector e = expFast(a.neg());
                FloatVector q = FloatVector.broadcast(F32, 1f).div(e.add(1f));
                q.blend(e.mul(q), v.compare(LT, 0f)).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF32.sigmoid(x, xOff + i, y, yOff + i, n - i);
    }

    public static void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F32.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F32, x, xOff + i);
            FloatVector a = v.abs();
            if (a.compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF32.softplus(x, xOff + i, y, yOff + i, LANES);
            } else {
                FloatVector m = v.max(0f);
                FloatVector u = expFast(a.neg());
                FloatVector w = u.add(1f);
                FloatVector l = logNormal(w).mul(u.div(w.sub(1f))).blend(u, w.compare(EQ, 1f));
                m.add(l).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF32.softplus(x, xOff + i, y, yOff + i, n - i);
    }

    private static FloatVector expFast(FloatVector x) {
        FloatVector t = x.mul(LOG2E).add(SHIFTER);
        FloatVector k = t.sub(SHIFTER);
        FloatVector r = x.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5)
                .mul(r.mul(r)).add(r).add(1f);
        FloatVector scale = ((IntVector) t.reinterpretAsInts()).sub(SHIFTER_BITS - 127).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    private static FloatVector logNormal(FloatVector x) {
        IntVector bits = (IntVector) x.reinterpretAsInts();
        IntVector tmp = bits.sub(SQRT_HALF_BITS);
        FloatVector k = (FloatVector) tmp.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0);
        FloatVector f = bits.sub(tmp.and(0xff800000)).reinterpretAsFloats().sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = f.mul(L0).add(L1).mul(f).add(L2).mul(f).add(L3).mul(f).add(L4).mul(f).add(L5).mul(f).add(L6)
                .mul(f).add(L7).mul(f).add(L8).mul(f).mul(z);
        y = y.add(k.mul(LN2_LO));
        y = y.sub(z.mul(0.5f));
        return f.add(y).add(k.mul(LN2_HI));
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs().min(TANH_RATIONAL_CLAMP);
        FloatVector z = a.mul(a);
        FloatVector p = z.mul(A13).add(A11).mul(z).add(A9).mul(z).add(A7).mul(z).add(A5).mul(z).add(A3).mul(z).add(A1).mul(a);
        FloatVector q = z.mul(B6).add(B4).mul(z).add(B2).mul(z).add(B0);
        FloatVector r = p.div(q).blend(a, a.compare(LT, TANH_TINY));
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(SIGN_BIT);
        return ((IntVector) r.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }
}
