package org.neuralode4j.tensor.kernels;

/**
 * Plain-Java float32 GEMM, single-threaded, on strided row-major operands: C[m×n] = op(A)·op(B) (+ C).
 *
 * <p><b>Float32 twin of {@code PlainGemmF64}</b>, generated from it by a type substitution (double → float, 4 → 8 lanes)
 * and kept in step with it by hand: Java has no generics over primitive arrays, and the innermost loops must
 * stay monomorphic to vectorise. The structure, blockings and the measurements quoted below are the plain float64 GEMM's; with
 * twice the lanes per register the float32 tiles cover twice the columns.
 *
 * Used when the Vector API is absent or disabled ({@code -Dneuralode4j.kernels=plain}).
 *
 * <p>Operand layouts are those of {@code SimdGemmF32}: op(A)[i][p] is {@code a[aOff + i*lda + p]}, or
 * {@code a[aOff + p*lda + i]} when {@code transA}; op(B)[p][j] is {@code b[bOff + p*ldb + j]}, or
 * {@code b[bOff + j*ldb + p]} when {@code transB}; C[i][j] is {@code c[cOff + i*ldc + j]}. Only the m×n
 * entries of C are written. {@code GemmF32} validates bounds and does the threading.
 *
 * <p>Why it looks the way it does: C2's auto-vectoriser (SuperWord) vectorises a loop over j only when it
 * can rule out a dependence between iterations; for {@code c[cOff + j] += x * b[bOff + j]} on two
 * {@code float[]} it cannot (the arrays might be the same one, offset), so it emits scalar code. If every
 * access in the loop uses the same index {@code j} there is no cross-iteration dependence whatever the
 * aliasing, and it vectorises. So a column block of op(B) is copied into one array per row
 * ({@code rows[p][0..nb)}), two rows of C are accumulated in scratch rows indexed from 0, and four k-steps
 * are fused per pass so each accumulator row is loaded and stored once per four multiply–adds. Measured on
 * Zen 3 at 256³: 20 GFLOP/s on JDK 25 and on JDK 17, against 4.5 for the textbook i-k-j loop and 6.8 for
 * register-blocked scalar variants (none of which vectorise). Four rows at a time stopped vectorising.
 * Products use separate multiply and add rather than {@link Math#fma}, which is emulated very slowly on
 * CPUs without FMA.
 */
final class PlainGemmF32 {
    /** Columns of op(B) per block: 128 measured best (64: −10%; 256 ran at a third of the speed on JDK 17). */
    private static final int NB = 128;
    /** k-steps per block, bounding the packed op(B) block to KB·NB doubles (256 KiB, in L2). */
    private static final int KB = 256;

    /**
     * Results at most this wide are computed as dot products over k instead: a j-loop of 2 to 4 iterations
     * gains nothing from vectorising and pays the per-pass overhead (256×2×64: 21 µs, against 11.5 µs as
     * dots; the two tie at n = 8).
     */
    private static final int NARROW_N = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PlainGemmF32() {}

    /**
     * Per-thread buffers: the packed rows of an op(B) block (plus up to 3 zero rows), two accumulator rows,
     * each NB long, the gathered op(A) coefficients of two rows, and the op(B) columns of the narrow path.
     */
    private static final class Scratch {
        float[][] rows = new float[0][];
        float[] columns = new float[0];
        final float[] coeffs = new float[2 * KB];
        final float[] acc0 = new float[NB];
        final float[] acc1 = new float[NB];

        float[][] rows(int k) {
            if (rows.length < k) {
                float[][] grown = java.util.Arrays.copyOf(rows, Math.max(k, 2 * rows.length));
                for (int p = rows.length; p < grown.length; p++) {
                    grown[p] = new float[NB];
                }
                rows = grown;
            }
            return rows;
        }
    }

    /** C = op(A)·op(B) (+ C when {@code accumulate}); see the class comment for the operand layouts. */
    static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                     float[] b, int bOff, int ldb, boolean transB,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        Scratch s = SCRATCH.get();
        // op(A)[i][p] = a[aOff + i*ars + p*acs]
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        if (n <= NARROW_N) {
            narrow(m, n, k, a, aOff, ars, acs, b, bOff, ldb, transB, c, cOff, ldc, accumulate, s);
            return;
        }
        float[][] rows = s.rows(Math.min(k, KB) + 3);
        for (int j0 = 0; j0 < n; j0 += NB) {
            int nb = Math.min(NB, n - j0);
            for (int p0 = 0; p0 < k; p0 += KB) {
                int kb = Math.min(KB, k - p0);
                boolean add = accumulate || p0 > 0;
                packB(kb, nb, b, transB ? bOff + j0 * ldb + p0 : bOff + p0 * ldb + j0, ldb, transB, rows);
                for (int p = kb; p < ((kb + 3) & ~3); p++) {
                    java.util.Arrays.fill(rows[p], 0, nb, 0f);
                }
                int a0 = aOff + p0 * acs;
                int i = 0;
                for (; i + 1 < m; i += 2) {
                    twoRows(kb, nb, a, a0 + i * ars, ars, acs, rows, s.coeffs, s.acc0, s.acc1);
                    store(nb, s.acc0, c, cOff + i * ldc + j0, add);
                    store(nb, s.acc1, c, cOff + (i + 1) * ldc + j0, add);
                }
                if (i < m) {
                    // The odd last row, paired with itself.
                    twoRows(kb, nb, a, a0 + i * ars, 0, acs, rows, s.coeffs, s.acc0, s.acc1);
                    store(nb, s.acc0, c, cOff + i * ldc + j0, add);
                }
            }
        }
    }

    /**
     * C[i][j] as dot products of op(A) rows with op(B) columns (copied contiguous), two rows by two columns
     * at a time so that four independent sums hide the add latency and each load feeds two products.
     */
    private static void narrow(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int ldb, boolean transB,
                               float[] c, int cOff, int ldc, boolean accumulate, Scratch s) {
        if (s.columns.length < n * k) {
            s.columns = new float[n * k];
        }
        float[] bt = s.columns;
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                bt[j * k + p] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        for (int i = 0; i < m; i += 2) {
            boolean two = i + 1 < m;
            int a0 = aOff + i * ars;
            int a1 = two ? a0 + ars : a0;
            for (int j = 0; j < n; j += 2) {
                boolean pair = j + 1 < n;
                int q0 = j * k;
                int q1 = pair ? q0 + k : q0;
                float s00 = 0;
                float s01 = 0;
                float s10 = 0;
                float s11 = 0;
                for (int p = 0, o0 = a0, o1 = a1; p < k; p++, o0 += acs, o1 += acs) {
                    float x0 = a[o0];
                    float x1 = a[o1];
                    float y0 = bt[q0 + p];
                    float y1 = bt[q1 + p];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                }
                int o = cOff + i * ldc + j;
                c[o] = accumulate ? c[o] + s00 : s00;
                if (pair) {
                    c[o + 1] = accumulate ? c[o + 1] + s01 : s01;
                }
                if (two) {
                    c[o + ldc] = accumulate ? c[o + ldc] + s10 : s10;
                    if (pair) {
                        c[o + ldc + 1] = accumulate ? c[o + ldc + 1] + s11 : s11;
                    }
                }
            }
        }
    }

    private static void packB(int k, int nb, float[] b, int off, int ldb, boolean transB, float[][] rows) {
        if (transB) {
            for (int j = 0; j < nb; j++) {
                int src = off + j * ldb;
                for (int p = 0; p < k; p++) {
                    rows[p][j] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, off + p * ldb, rows[p], 0, nb);
            }
        }
    }

    /**
     * acc0/acc1[0..nb) = rows i and i+1 of op(A) (at a0, a0+ars) times the packed op(B) block, whose rows
     * past k up to a multiple of 4 are zero. The two rows' coefficients are first gathered into
     * {@code coeffs} (interleaved, zero-padded): read in place through the run-time stride, their range
     * checks in the k-loop made C2 give up vectorising the j-loop whenever the profile had no k % 4 tail,
     * dropping 256³ from 20 to 8 GFLOP/s.
     */
    private static void twoRows(int k, int nb, float[] a, int a0, int ars, int acs,
                                float[][] rows, float[] coeffs, float[] acc0, float[] acc1) {
        int k4 = (k + 3) & ~3;
        for (int p = 0, o = a0; p < k4; p++, o += acs) {
            coeffs[2 * p] = p < k ? a[o] : 0f;
            coeffs[2 * p + 1] = p < k ? a[o + ars] : 0f;
        }
        java.util.Arrays.fill(acc0, 0, nb, 0f);
        java.util.Arrays.fill(acc1, 0, nb, 0f);
        for (int p = 0; p < k4; p += 4) {
            float x00 = coeffs[2 * p];
            float x10 = coeffs[2 * p + 1];
            float x01 = coeffs[2 * p + 2];
            float x11 = coeffs[2 * p + 3];
            float x02 = coeffs[2 * p + 4];
            float x12 = coeffs[2 * p + 5];
            float x03 = coeffs[2 * p + 6];
            float x13 = coeffs[2 * p + 7];
            float[] b0 = rows[p];
            float[] b1 = rows[p + 1];
            float[] b2 = rows[p + 2];
            float[] b3 = rows[p + 3];
            for (int j = 0; j < nb; j++) {
                float y0 = b0[j];
                float y1 = b1[j];
                float y2 = b2[j];
                float y3 = b3[j];
                acc0[j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
                acc1[j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
            }
        }
    }

    private static void store(int nb, float[] acc, float[] c, int off, boolean accumulate) {
        if (accumulate) {
            for (int j = 0; j < nb; j++) {
                c[off + j] += acc[j];
            }
        } else {
            System.arraycopy(acc, 0, c, off, nb);
        }
    }
}
