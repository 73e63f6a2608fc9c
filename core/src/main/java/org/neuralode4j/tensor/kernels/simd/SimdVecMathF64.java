package org.neuralode4j.tensor.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E10;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E11;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E2;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E3;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E4;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E5;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E6;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E7;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E8;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.E9;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.EXP_FAST_LIMIT;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.EXP_MASK;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.HALF_BITS;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG0;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG1;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG2;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG3;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG4;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG5;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG6;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LG7;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LN2_HI;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LN2_LO;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LOG2E;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LOG_EXP_BIAS;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LOG_LN2_HI;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.LOG_LN2_LO;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.ONE_BITS;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.SHIFTER;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.SIGN_BIT;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.SQRT2_CARRY;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.TANH_REFINE;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.TANH_SAT;
import static org.neuralode4j.tensor.kernels.PlainVecMathF64.TWO52_BITS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.neuralode4j.tensor.kernels.PlainVecMathF64;

/**
 * Vector API exp, log, tanh, sigmoid and softplus on double arrays. This is the fast path of
 * {@code VecMathF64}, and the only one of those classes that touches {@code jdk.incubator.vector}.
 *
 * <p>The Vector API's own lane-wise {@code EXP}, {@code LOG} and {@code TANH} have no intrinsic on this
 * machine (AVX2 without AVX-512) and cost 19–35 ns per element. These kernels use FMA, compares, blends and
 * integer bit tricks only, which C2 maps to AVX2 instructions. AVX2 has no double↔long conversions, so
 * 2^k and the exponent of x are built with the 2^52 magic-number trick instead.
 *
 * <p>Each kernel is the same operation sequence as its scalar twin in {@link PlainVecMathF64}, so the results
 * are bit-identical. Lanes that need special handling are rare in practice. For exp, sigmoid and softplus they
 * are |x| &gt; 708 (overflow, subnormal results), and for log they are zero, negatives, subnormals, Inf and NaN.
 * A vector with any such lane is handed to the scalar twin, as glibc's libmvec does, rather than burdening
 * every vector with blends for them. The same goes for tails shorter than a vector. tanh clamps its argument
 * and never leaves the vector path.
 *
 * <p>The code is shaped by C2. While it parses a method, C2 stops inlining methods that are not
 * {@code @ForceInline} once the method has about 18000 nodes, and every Vector API call adds hundreds. A
 * vector that then crosses a call that was not inlined is boxed. So constants are
 * {@code DoubleVector.broadcast} calls at the point of use, which the API force-inlines. A private
 * {@code broadcast} helper pushed softplus over the limit: it allocated 80 bytes per element and took 16 ns.
 * A manual 2× unroll of tanh hit the same limit. Static final vector constants avoid it too, but measured
 * slower (exp 1.5 against 1.1 ns per element). Polynomials use Estrin's scheme: the loops are bound by latency
 * against the out-of-order window, not by FMA throughput.
 */
public final class SimdVecMathF64 {
    private static final VectorSpecies<Double> F64 = SimdInfo.F64;
    private static final int LANES = F64.length();

    private SimdVecMathF64() {}

    /** y[yOff+i] = e^x[xOff+i] for i in [0, n). */
    public static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F64.loopBound(n); i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(F64, x, xOff + i);
            if (v.abs().compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF64.exp(x, xOff + i, y, yOff + i, LANES);
            } else {
                expFast(v).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF64.exp(x, xOff + i, y, yOff + i, n - i);
    }

    /** y[yOff+i] = ln x[xOff+i] for i in [0, n). */
    public static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F64.loopBound(n); i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(F64, x, xOff + i);
            if (!v.compare(GE, Double.MIN_NORMAL).and(v.compare(LE, Double.MAX_VALUE)).allTrue()) {
                PlainVecMathF64.log(x, xOff + i, y, yOff + i, LANES);
            } else {
                logNormal(v).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF64.log(x, xOff + i, y, yOff + i, n - i);
    }

    /** y[yOff+i] = tanh x[xOff+i] for i in [0, n). */
    public static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F64.loopBound(n); i < bound; i += LANES) {
            tanh(DoubleVector.fromArray(F64, x, xOff + i)).intoArray(y, yOff + i);
        }
        PlainVecMathF64.tanh(x, xOff + i, y, yOff + i, n - i);
    }

    /** out = g·(1 − y²) over an m×n block, colSums[j] += its column sums; see {@code VecMathF64.tanhBackwardRows}. */
    public static void tanhBackwardRows(double[] g, double[] y, double[] out, double[] colSums, int m, int n) {
        int bound = F64.loopBound(n);
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = 0; j < bound; j += LANES) {
                DoubleVector yv = DoubleVector.fromArray(F64, y, o + j);
                DoubleVector v = DoubleVector.fromArray(F64, g, o + j).mul(DoubleVector.broadcast(F64, 1.0).sub(yv.mul(yv)));
                v.intoArray(out, o + j);
                DoubleVector.fromArray(F64, colSums, j).add(v).intoArray(colSums, j);
            }
        }
        if (bound < n) {
            PlainVecMathF64.tanhBackwardRows(g, y, out, colSums, m, n, bound);
        }
    }

    /** y[yOff+i] = 1/(1 + e^−x[xOff+i]) for i in [0, n). */
    public static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F64.loopBound(n); i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(F64, x, xOff + i);
            DoubleVector a = v.abs();
            if (a.compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF64.sigmoid(x, xOff + i, y, yOff + i, LANES);
            } else {
                DoubleVector t = expFast(a.neg(), a.fma(-LOG2E, SHIFTER));
                DoubleVector.broadcast(F64, 1.0).blend(t, v.compare(LT, 0.0)).div(t.add(1.0)).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF64.sigmoid(x, xOff + i, y, yOff + i, n - i);
    }

    /** y[yOff+i] = ln(1 + e^x[xOff+i]) for i in [0, n). */
    public static void softplus(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F64.loopBound(n); i < bound; i += LANES) {
            DoubleVector v = DoubleVector.fromArray(F64, x, xOff + i);
            DoubleVector a = v.abs();
            if (a.compare(GT, EXP_FAST_LIMIT).anyTrue()) {
                PlainVecMathF64.softplus(x, xOff + i, y, yOff + i, LANES);
            } else {
                DoubleVector t = expFast(a.neg(), a.fma(-LOG2E, SHIFTER));
                VectorMask<Double> big = t.compare(GE, 0.5);
                DoubleVector l = log1pKernel(t.blend(t.sub(1.0).mul(0.5), big), DoubleVector.broadcast(F64, 0.0).blend(1.0, big));
                DoubleVector.broadcast(F64, 0.0).blend(v, v.compare(GT, 0.0)).add(l).intoArray(y, yOff + i);
            }
        }
        PlainVecMathF64.softplus(x, xOff + i, y, yOff + i, n - i);
    }

    /** e^x for |x| ≤ 708 or NaN: 2^k is then a normal double. */
    private static DoubleVector expFast(DoubleVector x) {
        return expFast(x, x.fma(LOG2E, SHIFTER));
    }

    /**
     * e^x given kd = x·log2e + SHIFTER rounded once. A caller holding x = c·h for c = 2 or −1 passes
     * h·(c·log2e) + SHIFTER, which is the same exact product. It then need not wait for x before starting the
     * reduction, which saves a step of latency.
     */
    private static DoubleVector expFast(DoubleVector x, DoubleVector kd) {
        DoubleVector scale = kd.reinterpretAsLongs().lanewise(LSHL, 52).add(ONE_BITS).reinterpretAsDoubles();
        return scale.fma(expm1Reduced(reduce(x, kd)), scale);
    }

    /** r = x − k·ln2, where kd = x·log2e + SHIFTER holds k: the twin of {@code PlainVecMathF64.reduce}. */
    private static DoubleVector reduce(DoubleVector x, DoubleVector kd) {
        DoubleVector k = kd.sub(SHIFTER);
        return k.fma(DoubleVector.broadcast(F64, -LN2_LO), k.fma(DoubleVector.broadcast(F64, -LN2_HI), x));
    }

    /** e^r − 1 for |r| ≤ ln2/2: the twin of {@code PlainVecMathF64.expm1Reduced}. */
    private static DoubleVector expm1Reduced(DoubleVector r) {
        DoubleVector r2 = r.mul(r);
        DoubleVector r4 = r2.mul(r2);
        DoubleVector q1 = r.fma(E5, E4).fma(r2, r.fma(E3, E2));
        DoubleVector q2 = r.fma(E9, E8).fma(r2, r.fma(E7, E6));
        DoubleVector p = r.fma(E11, E10).fma(r4, q2).fma(r4, q1);
        return r2.fma(p, r);
    }

    /** ln x for normal positive finite x. */
    private static DoubleVector logNormal(DoubleVector x) {
        LongVector ix = x.reinterpretAsLongs();
        LongVector u = ix.add(SQRT2_CARRY);
        DoubleVector kd = u.lanewise(LSHR, 52).or(TWO52_BITS).reinterpretAsDoubles().sub(LOG_EXP_BIAS);
        DoubleVector f = ix.sub(u.and(EXP_MASK)).add(ONE_BITS).reinterpretAsDoubles().sub(1.0);
        return log1pKernel(f, kd);
    }

    /** log(1 + f) + kd·ln2, for 1 + f in [0.66, 1.5]. */
    private static DoubleVector log1pKernel(DoubleVector f, DoubleVector kd) {
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector w = z.mul(z);
        DoubleVector a = w.fma(w.fma(w.fma(LG6, LG4), DoubleVector.broadcast(F64, LG2)), DoubleVector.broadcast(F64, LG0));
        DoubleVector b = w.fma(w.fma(w.fma(LG7, LG5), DoubleVector.broadcast(F64, LG3)), DoubleVector.broadcast(F64, LG1));
        DoubleVector r = z.fma(a, w.mul(b));
        return s.fma(hfsq.add(r), kd.mul(LOG_LN2_LO)).sub(hfsq).add(f).add(kd.mul(LOG_LN2_HI));
    }

    private static DoubleVector tanh(DoubleVector x) {
        DoubleVector z = x.abs();
        DoubleVector zc = z.blend(TANH_SAT, z.compare(GT, TANH_SAT));
        DoubleVector kd = zc.fma(2 * LOG2E, SHIFTER);
        DoubleVector hs = kd.reinterpretAsLongs().lanewise(LSHL, 52).add(HALF_BITS).reinterpretAsDoubles();
        DoubleVector h = hs.fma(expm1Reduced(reduce(zc.add(zc), kd)), hs.sub(0.5));
        DoubleVector q = h.div(h.add(1.0));
        DoubleVector t = q.blend(h.neg().fma(q, h), z.compare(LT, TANH_REFINE));
        return t.reinterpretAsLongs().or(x.reinterpretAsLongs().and(SIGN_BIT)).reinterpretAsDoubles();
    }
}
