package org.neuralode4j.tensor.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float32 GEMM, single-threaded, on strided row-major operands: C[m×n] = op(A)·op(B) (+ C).
 *
 * <p><b>Float32 twin of {@code SimdGemmF64}</b>, generated from it by a type substitution (double → float, 4 → 8 lanes)
 * and kept in step with it by hand: Java has no generics over primitive arrays, and the innermost loops must
 * stay monomorphic to vectorise. The structure, blockings and the measurements quoted below are the Vector API float64 GEMM's; with
 * twice the lanes per register the float32 tiles cover twice the columns.
 *
 * <p>Operands: op(A)[i][p] is {@code a[aOff + i*lda + p]}, or {@code a[aOff + p*lda + i]} when {@code transA};
 * op(B)[p][j] is {@code b[bOff + p*ldb + j]}, or {@code b[bOff + j*ldb + p]} when {@code transB};
 * C[i][j] is {@code c[cOff + i*ldc + j]}. Only the m×n entries of C are written. Callers
 * ({@code GemmF32}) validate bounds and do the threading; this class is public only so that the
 * dispatcher and the tests can reach it across packages.
 *
 * <p>Three paths, chosen per call by shape (all numbers single-threaded on a 2-core Zen 3, AVX2 with 4 f64
 * lanes and 16 ymm registers, JDK 25, peak about 50 GFLOP/s):
 * <ul>
 *   <li><b>Packed</b> (BLIS-style, the general case; 41 GFLOP/s at 256³, 37–39 at 1024³). A and B are
 *       packed into panels ({@code ap[p*MR + r]}, {@code bp[p*NR + j]}) so every kernel index is the loop
 *       variable times a constant and C2 removes the bounds checks from the inner loop; kernels reading A
 *       in place measured 10–35% slower even counting the packing. The micro-kernel is {@value #MR} rows ×
 *       2 vectors (8 accumulators): C2 hoists all loads of a k-step ahead of its FMAs, so this tile needs
 *       8 + 2 B vectors + 4 A broadcasts = 14 registers, while the classic 4×12 or 6×8 tiles need 19–20,
 *       spill three accumulators to the stack every k-step and ran at half speed (17 vs 35 GFLOP/s at
 *       240³). k is blocked by {@value #KC} (a 256×8 B panel is 16 KiB, half of L1; 128 and 384 were
 *       slower) and m by {@value #MC} (64 to 256 measured the same).</li>
 *   <li><b>Direct</b> (short k, few rows, or A row-major with at most {@value #DIRECT_N} columns): rows of
 *       C two at a time against 4 vectors of columns, A read in place. Packing costs O(m·k + k·n) against
 *       O(m·n·k) of work and dominates when any of the three is small; see {@link #direct}.</li>
 *   <li><b>Narrow</b> (n &lt; one vector): a padded 8-column tile would be mostly waste, so lanes run along
 *       k or m instead; see {@link #narrow}.</li>
 * </ul>
 * Buffers live in a per-thread scratch object, grown on demand and reused across calls.
 */
public final class SimdGemmF32 {
    private static final VectorSpecies<Float> F32 = SimdInfo.F32;
    private static final int L = F32.length();
    /** Rows of the micro-tile. */
    static final int MR = 4;
    /** Columns of the micro-tile: two vectors. */
    static final int NR = 2 * L;
    /** k-block of the packed path. */
    static final int KC = 256;
    /** m-block of the packed path. */
    static final int MC = 128;
    /** n-block of the packed path: bounds the packed B block to KC·NC doubles (4 MiB, within L3). */
    static final int NC = 2048;
    /** Products with k at most this skip packing (see {@link #direct}). */
    static final int DIRECT_K = 16;
    /** Products with at most this many rows skip packing. */
    static final int DIRECT_M = 8;
    /**
     * Products with A row-major and at most this many columns skip packing A. The float64 crossover is between 48
     * and 64 columns; with twice the lanes a float32 row of 64 is only eight vectors, two direct tiles, and packing
     * A costs more than it saves up to n = 64. Measured in float32, direct against packed, best of 24 rounds of
     * 200 calls alternated, machine loaded: 256×64×64 31.6–33.6 against 33.0–37.6 µs with B row-major and
     * 33.6–39.6 against 37.5–54.9 with B transposed (W1's hidden layer), 512×64×64 62.8–67.9 against 69.0–77.1
     * (W2's), 2048×64×576 2.47–2.56 against 3.01–3.46 ms; at n = 96 the two tie, and at n = 128 packed wins
     * (512×128×64: 111–125 against 124–134 µs). With A transposed the direct kernel reads A with a run-time
     * stride and lost (64×32×256: 17.5 vs 31 GFLOP/s; 256×64×64: 40–49 against 38 µs).
     */
    static final int DIRECT_N = 64;
    // Narrower than 4 vectors the direct path runs the 4-row × 2-vector tile (direct2x4) whether or not A is
    // transposed, so A is never packed: on the 16-channel convolutions' weight gradient (48×16×61, A transposed,
    // float32) packing A cost more than the multiply, 2.8 µs per call packed against 1.7 µs direct.

    /**
     * Doubles of op(B) per k-block on the direct path with many rows (64 KiB, so in L2): 5–10% faster than
     * an L1-sized block of 3072 or no blocking, on 1024×16×1024 and 256×48×512.
     */
    static final int DIRECT_BLOCK = 8192;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private SimdGemmF32() {}

    /** Per-thread packing buffers, grown to the largest block seen. */
    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    /** C = op(A)·op(B) (+ C when {@code accumulate}); see the class comment for the operand layouts. */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
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
        if (n < L) {
            narrow(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate, s);
        } else if (k <= DIRECT_K || m <= DIRECT_M || (!transA && n <= DIRECT_N) || n < 4 * L) {
            direct(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate, s);
        } else {
            packed(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate, s);
        }
    }

    // ------------------------------------------------------------------ packed path (the general case)

    private static void packed(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                               float[] b, int bOff, int ldb, boolean transB,
                               float[] c, int cOff, int ldc, boolean accumulate, Scratch s) {
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                float[] bp = s.b(roundUp(nc, NR) * kc);
                packB(kc, nc, b, transB ? bOff + jc * ldb + pc : bOff + pc * ldb + jc, ldb, transB, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    float[] ap = s.a(roundUp(mc, MR) * kc);
                    packA(mc, kc, a, transA ? aOff + pc * lda + ic : aOff + ic * lda + pc, lda, transA, ap);
                    macroKernel(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, add, s.tile);
                }
            }
        }
    }

    // ------------------------------------------------------------------ direct path (short k or few rows)

    /**
     * Rows of C two at a time, {@code 4·L} columns per kernel call, reading op(A) entries in place: nothing
     * proportional to m·k is packed, which is what dominates when k or n is small. op(B) is read in place
     * (a transposed copy when {@code transB}) when there are few rows; with many rows and A row-major, its
     * {@code 4·L}-column chunks are copied to contiguous [k × 4·L] panels so that every index in the kernel
     * loop is the loop variable plus a constant stride: C2 then drops the bounds checks and the integer
     * multiplies from the loop, which measured 20% faster (456×16×144: 38 vs 31 GFLOP/s).
     */
    private static void direct(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                               float[] b, int bOff, int ldb, boolean transB,
                               float[] c, int cOff, int ldc, boolean add, Scratch s) {
        if (transB) {
            float[] bt = s.b(k * n);
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[src + p];
                }
            }
            b = bt;
            bOff = 0;
            ldb = n;
        }
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        // Few rows read op(B) only m/2 times, so blocking k would only add passes over C.
        int kb = m <= DIRECT_M ? k : Math.max(DIRECT_K, DIRECT_BLOCK / n);
        int wide = n - n % (4 * L);
        float[] panels = !transA && m > DIRECT_M && wide > 0 ? s.a(wide * Math.min(kb, k)) : null;
        for (int pc = 0; pc < k; pc += kb) {
            directBlock(m, n, Math.min(kb, k - pc), a, aOff + pc * acs, ars, acs, b, bOff + pc * ldb, ldb,
                    c, cOff, ldc, add || pc > 0, panels);
        }
    }

    /** One k-block of {@link #direct}; {@code panels}, when not null, receives the packed column chunks. */
    private static void directBlock(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add,
                                    float[] panels) {
        int wide = n - n % (4 * L);
        // Columns [wide, pairs) come two vectors at a time, four rows at once: 8 accumulators as in the packed
        // micro-tile. Row pairs against one vector (2 accumulators) leave the FMA units waiting on latency, and a
        // 2-vector remainder is the whole product when n = 2·L (16-channel float32 convolutions).
        int pairs = wide + (n - wide) / (2 * L) * (2 * L);
        int m4 = pairs > wide ? m - m % 4 : 0;
        for (int i = 0; i < m4; i += 4) {
            for (int j = wide; j < pairs; j += 2 * L) {
                direct2x4(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, add);
            }
        }
        int vec = n - n % L;
        if (panels != null) {
            for (int j = 0; j < wide; j += 4 * L) {
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOff + p * ldb + j, panels, j * k + p * 4 * L, 4 * L);
                }
            }
        }
        for (int i = 0; i < m; i += 2) {
            boolean two = i + 1 < m;
            int a0 = aOff + i * ars;
            int a1 = two ? a0 + ars : a0;
            int c0 = cOff + i * ldc;
            int c1 = c0 + ldc;
            int j = 0;
            if (panels != null) {
                for (; j < wide; j += 4 * L) {
                    direct4Packed(k, a, a0, a1, panels, j * k, c, c0 + j, c1 + j, add, two);
                }
            }
            for (; j < wide; j += 4 * L) {
                direct4(k, a, a0, a1, acs, b, bOff + j, ldb, c, c0 + j, c1 + j, add, two);
            }
            for (j = i < m4 ? pairs : j; j < vec; j += L) {
                direct1(k, a, a0, a1, acs, b, bOff + j, ldb, c, c0 + j, c1 + j, add, two);
            }
            for (; j < n; j++) {
                float s0 = 0;
                float s1 = 0;
                for (int p = 0; p < k; p++) {
                    float y = b[bOff + p * ldb + j];
                    s0 += a[a0 + p * acs] * y;
                    s1 += a[a1 + p * acs] * y;
                }
                c[c0 + j] = add ? c[c0 + j] + s0 : s0;
                if (two) {
                    c[c1 + j] = add ? c[c1 + j] + s1 : s1;
                }
            }
        }
    }

    /** Rows a0, a1 of op(A) times 4 vectors of op(B) columns; row c1 is written only when {@code two}. */
    private static void direct4(int k, float[] a, int a0, int a1, int acs, float[] b, int bo, int ldb,
                                float[] c, int c0, int c1, boolean add, boolean two) {
        FloatVector x00 = FloatVector.zero(F32);
        FloatVector x01 = x00;
        FloatVector x02 = x00;
        FloatVector x03 = x00;
        FloatVector x10 = x00;
        FloatVector x11 = x00;
        FloatVector x12 = x00;
        FloatVector x13 = x00;
        for (int p = 0; p < k; p++) {
            int o = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(F32, b, o);
            FloatVector b1 = FloatVector.fromArray(F32, b, o + L);
            FloatVector b2 = FloatVector.fromArray(F32, b, o + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F32, b, o + 3 * L);
            FloatVector x = FloatVector.broadcast(F32, a[a0 + p * acs]);
            x00 = x.fma(b0, x00);
            x01 = x.fma(b1, x01);
            x02 = x.fma(b2, x02);
            x03 = x.fma(b3, x03);
            x = FloatVector.broadcast(F32, a[a1 + p * acs]);
            x10 = x.fma(b0, x10);
            x11 = x.fma(b1, x11);
            x12 = x.fma(b2, x12);
            x13 = x.fma(b3, x13);
        }
        storeRow(c, c0, x00, x01, add);
        storeRow(c, c0 + 2 * L, x02, x03, add);
        if (two) {
            storeRow(c, c1, x10, x11, add);
            storeRow(c, c1 + 2 * L, x12, x13, add);
        }
    }

    /** As {@link #direct4} with op(A) rows contiguous and the columns packed as a [k × 4·L] panel at bo. */
    private static void direct4Packed(int k, float[] a, int a0, int a1, float[] bp, int bo,
                                      float[] c, int c0, int c1, boolean add, boolean two) {
        FloatVector x00 = FloatVector.zero(F32);
        FloatVector x01 = x00;
        FloatVector x02 = x00;
        FloatVector x03 = x00;
        FloatVector x10 = x00;
        FloatVector x11 = x00;
        FloatVector x12 = x00;
        FloatVector x13 = x00;
        for (int p = 0; p < k; p++) {
            int o = bo + p * 4 * L;
            FloatVector b0 = FloatVector.fromArray(F32, bp, o);
            FloatVector b1 = FloatVector.fromArray(F32, bp, o + L);
            FloatVector b2 = FloatVector.fromArray(F32, bp, o + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F32, bp, o + 3 * L);
            FloatVector x = FloatVector.broadcast(F32, a[a0 + p]);
            x00 = x.fma(b0, x00);
            x01 = x.fma(b1, x01);
            x02 = x.fma(b2, x02);
            x03 = x.fma(b3, x03);
            x = FloatVector.broadcast(F32, a[a1 + p]);
            x10 = x.fma(b0, x10);
            x11 = x.fma(b1, x11);
            x12 = x.fma(b2, x12);
            x13 = x.fma(b3, x13);
        }
        storeRow(c, c0, x00, x01, add);
        storeRow(c, c0 + 2 * L, x02, x03, add);
        if (two) {
            storeRow(c, c1, x10, x11, add);
            storeRow(c, c1 + 2 * L, x12, x13, add);
        }
    }

    /** Rows a0 … a0 + 3·ars of op(A) times 2 vectors of op(B) columns, into 4 rows of C from c0. */
    private static void direct2x4(int k, float[] a, int a0, int ars, int acs, float[] b, int bo, int ldb,
                                  float[] c, int c0, int ldc, boolean add) {
        FloatVector x00 = FloatVector.zero(F32);
        FloatVector x01 = x00;
        FloatVector x10 = x00;
        FloatVector x11 = x00;
        FloatVector x20 = x00;
        FloatVector x21 = x00;
        FloatVector x30 = x00;
        FloatVector x31 = x00;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        for (int p = 0; p < k; p++) {
            int o = bo + p * ldb;
            int q = p * acs;
            FloatVector b0 = FloatVector.fromArray(F32, b, o);
            FloatVector b1 = FloatVector.fromArray(F32, b, o + L);
            FloatVector x = FloatVector.broadcast(F32, a[a0 + q]);
            x00 = x.fma(b0, x00);
            x01 = x.fma(b1, x01);
            x = FloatVector.broadcast(F32, a[a1 + q]);
            x10 = x.fma(b0, x10);
            x11 = x.fma(b1, x11);
            x = FloatVector.broadcast(F32, a[a2 + q]);
            x20 = x.fma(b0, x20);
            x21 = x.fma(b1, x21);
            x = FloatVector.broadcast(F32, a[a3 + q]);
            x30 = x.fma(b0, x30);
            x31 = x.fma(b1, x31);
        }
        storeRow(c, c0, x00, x01, add);
        storeRow(c, c0 + ldc, x10, x11, add);
        storeRow(c, c0 + 2 * ldc, x20, x21, add);
        storeRow(c, c0 + 3 * ldc, x30, x31, add);
    }

    /** As {@link #direct4} for one vector of columns. */
    private static void direct1(int k, float[] a, int a0, int a1, int acs, float[] b, int bo, int ldb,
                                float[] c, int c0, int c1, boolean add, boolean two) {
        FloatVector x0 = FloatVector.zero(F32);
        FloatVector x1 = x0;
        for (int p = 0; p < k; p++) {
            FloatVector y = FloatVector.fromArray(F32, b, bo + p * ldb);
            x0 = FloatVector.broadcast(F32, a[a0 + p * acs]).fma(y, x0);
            x1 = FloatVector.broadcast(F32, a[a1 + p * acs]).fma(y, x1);
        }
        store(c, c0, x0, add);
        if (two) {
            store(c, c1, x1, add);
        }
    }

    // ------------------------------------------------------------------ narrow path (n < L)

    /**
     * Results narrower than one vector. With A row-major the lanes run along k (dot products of A rows with
     * op(B) columns, copied to rows when B is not transposed); with A transposed its rows are contiguous
     * along m, so the lanes run along m and op(B) entries are broadcast.
     */
    private static void narrow(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                               float[] b, int bOff, int ldb, boolean transB,
                               float[] c, int cOff, int ldc, boolean add, Scratch s) {
        if (transA) {
            narrowAlongM(m, n, k, a, aOff, lda, b, bOff, transB ? 1 : ldb, transB ? ldb : 1, c, cOff, ldc, add, s.tile);
            return;
        }
        if (!transB) {
            float[] bt = s.b(k * n);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[j * k + p] = b[bOff + p * ldb + j];
                }
            }
            b = bt;
            bOff = 0;
            ldb = k;
        }
        int kv = k - k % L;
        float[] sums = s.tile;
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            int a0 = aOff + i * lda;
            int a1 = rows > 1 ? a0 + lda : a0;
            int a2 = rows > 2 ? a0 + 2 * lda : a0;
            int a3 = rows > 3 ? a0 + 3 * lda : a0;
            for (int j = 0; j < n; j += 2) {
                int q0 = bOff + j * ldb;
                int q1 = j + 1 < n ? q0 + ldb : q0;
                if (j + 1 < n) {
                    dot4x2(kv, a, a0, a1, a2, a3, b, q0, q1, sums);
                } else {
                    dot4x1(kv, a, a0, a1, a2, a3, b, q0, sums);
                }
                for (int r = 0; r < rows; r++) {
                    int ar = a0 + r * lda;
                    float s0 = sums[2 * r];
                    float s1 = sums[2 * r + 1];
                    for (int p = kv; p < k; p++) {
                        s0 += a[ar + p] * b[q0 + p];
                        s1 += a[ar + p] * b[q1 + p];
                    }
                    int o = cOff + (i + r) * ldc + j;
                    c[o] = add ? c[o] + s0 : s0;
                    if (j + 1 < n) {
                        c[o + 1] = add ? c[o + 1] + s1 : s1;
                    }
                }
            }
        }
    }

    /** sums[2r + q] = Σ_{p&lt;kv} a[a_r + p]·b[q_q + p] for 4 rows and 2 columns, lanes along p. */
    private static void dot4x2(int kv, float[] a, int a0, int a1, int a2, int a3, float[] b, int q0, int q1,
                               float[] sums) {
        FloatVector s00 = FloatVector.zero(F32);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        for (int p = 0; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(F32, b, q0 + p);
            FloatVector y1 = FloatVector.fromArray(F32, b, q1 + p);
            FloatVector x = FloatVector.fromArray(F32, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            x = FloatVector.fromArray(F32, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            x = FloatVector.fromArray(F32, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            x = FloatVector.fromArray(F32, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
        }
        sums[0] = laneSum(s00);
        sums[1] = laneSum(s01);
        sums[2] = laneSum(s10);
        sums[3] = laneSum(s11);
        sums[4] = laneSum(s20);
        sums[5] = laneSum(s21);
        sums[6] = laneSum(s30);
        sums[7] = laneSum(s31);
    }

    /**
     * sums[2r] as {@link #dot4x2} computes them, for a lone last column: with odd n (W1's n = 3) the pair kernel
     * would compute that column twice. Same operations in the same order, so bit-identical to the pair kernel.
     */
    private static void dot4x1(int kv, float[] a, int a0, int a1, int a2, int a3, float[] b, int q0, float[] sums) {
        FloatVector s0 = FloatVector.zero(F32);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int p = 0; p < kv; p += L) {
            FloatVector y0 = FloatVector.fromArray(F32, b, q0 + p);
            s0 = FloatVector.fromArray(F32, a, a0 + p).fma(y0, s0);
            s1 = FloatVector.fromArray(F32, a, a1 + p).fma(y0, s1);
            s2 = FloatVector.fromArray(F32, a, a2 + p).fma(y0, s2);
            s3 = FloatVector.fromArray(F32, a, a3 + p).fma(y0, s3);
        }
        sums[0] = laneSum(s0);
        sums[2] = laneSum(s1);
        sums[4] = laneSum(s2);
        sums[6] = laneSum(s3);
    }

    /**
     * C[m×n] (n &lt; L) = Aᵀ·op(B) with A stored [k×m]: lanes along m, {@code 2·L} rows per step;
     * op(B)[p][j] = {@code b[bOff + p*bps + j*bjs]}. Rows past the last full vector pair go scalar.
     */
    private static void narrowAlongM(int m, int n, int k, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int bps, int bjs,
                                     float[] c, int cOff, int ldc, boolean add, float[] lanes) {
        int vec = m - m % (2 * L);
        for (int j0 = 0; j0 < n; j0 += 2) {
            int q0 = bOff + j0 * bjs;
            int q1 = j0 + 1 < n ? q0 + bjs : q0;
            for (int i = 0; i < vec; i += 2 * L) {
                FloatVector s00 = FloatVector.zero(F32);
                FloatVector s01 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                for (int p = 0; p < k; p++) {
                    int ao = aOff + p * lda + i;
                    FloatVector x0 = FloatVector.fromArray(F32, a, ao);
                    FloatVector x1 = FloatVector.fromArray(F32, a, ao + L);
                    FloatVector y = FloatVector.broadcast(F32, b[q0 + p * bps]);
                    s00 = x0.fma(y, s00);
                    s01 = x1.fma(y, s01);
                    y = FloatVector.broadcast(F32, b[q1 + p * bps]);
                    s10 = x0.fma(y, s10);
                    s11 = x1.fma(y, s11);
                }
                s00.intoArray(lanes, 0);
                s01.intoArray(lanes, L);
                scatterColumn(lanes, c, cOff + i * ldc + j0, ldc, add);
                if (j0 + 1 < n) {
                    s10.intoArray(lanes, 0);
                    s11.intoArray(lanes, L);
                    scatterColumn(lanes, c, cOff + i * ldc + j0 + 1, ldc, add);
                }
            }
        }
        for (int i = vec; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + p * lda + i] * b[bOff + p * bps + j * bjs];
                }
                int o = cOff + i * ldc + j;
                c[o] = add ? c[o] + sum : sum;
            }
        }
    }

    /** Writes lanes[0..2L) down a column of C. */
    private static void scatterColumn(float[] lanes, float[] c, int o, int ldc, boolean add) {
        for (int r = 0; r < 2 * L; r++, o += ldc) {
            c[o] = add ? c[o] + lanes[r] : lanes[r];
        }
    }


    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void macroKernel(int mc, int nc, int kc, float[] ap, float[] bp,
                                    float[] c, int cBase, int ldc, boolean add, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bi = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ci = cBase + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    kernel(kc, ap, ir * kc, bp, bi, c, ci, ldc, add);
                } else {
                    kernel(kc, ap, ir * kc, bp, bi, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++) {
                        int row = ci + r * ldc;
                        for (int j = 0; j < nr; j++) {
                            c[row + j] = add ? c[row + j] + tile[r * NR + j] : tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[0..kc)[0..nc) (starting at {@code off}) into column panels of width NR, zero-padding the
     * last one: {@code bp[panel*kc*NR + p*NR + j]}.
     */
    private static void packB(int kc, int nc, float[] b, int off, int ldb, boolean transB, float[] bp) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int nr = Math.min(NR, nc - j0);
            int base = j0 * kc;
            if (transB) {
                for (int j = 0; j < nr; j++) {
                    int src = off + (j0 + j) * ldb;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = 0f;
                    }
                }
            } else if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * ldb + j0;
                    int dst = base + p * NR;
                    FloatVector.fromArray(F32, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(F32, b, src + L).intoArray(bp, dst + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * ldb + j0;
                    int dst = base + p * NR;
                    for (int j = 0; j < NR; j++) {
                        bp[dst + j] = j < nr ? b[src + j] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[0..mc)[0..kc) (starting at {@code off}) into row panels of height MR, zero-padding the
     * last one: {@code ap[panel*kc*MR + p*MR + r]}. The full-panel loops are unrolled over the 4 rows: with a
     * loop over r the transposed case ran at 4 ns per element.
     */
    private static void packA(int mc, int kc, float[] a, int off, int lda, boolean transA, float[] ap) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int mr = Math.min(MR, mc - i0);
            int base = i0 * kc;
            if (mr < MR) {
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < MR; r++) {
                        ap[base + p * MR + r] = r < mr ? a[transA ? off + p * lda + i0 + r : off + (i0 + r) * lda + p] : 0f;
                    }
                }
            } else if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * lda + i0;
                    int dst = base + p * MR;
                    ap[dst] = a[src];
                    ap[dst + 1] = a[src + 1];
                    ap[dst + 2] = a[src + 2];
                    ap[dst + 3] = a[src + 3];
                }
            } else {
                int s0 = off + i0 * lda;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                int s3 = s2 + lda;
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * MR;
                    ap[dst] = a[s0 + p];
                    ap[dst + 1] = a[s1 + p];
                    ap[dst + 2] = a[s2 + p];
                    ap[dst + 3] = a[s3 + p];
                }
            }
        }
    }

    /** C[4×NR] at {@code ci} = (C +) packed A panel · packed B panel over kc steps. */
    private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi,
                               float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F32);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR;
            int ao = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(F32, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F32, bp, bo + L);
            FloatVector x = FloatVector.broadcast(F32, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F32, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F32, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F32, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        storeRow(c, ci, c00, c01, add);
        storeRow(c, ci + ldc, c10, c11, add);
        storeRow(c, ci + 2 * ldc, c20, c21, add);
        storeRow(c, ci + 3 * ldc, c30, c31, add);
    }

    /** Lane i ↔ lane i ^ (L/2), i ^ (L/4), …, i ^ 1: the levels of {@link #laneSum}'s tree. */
    private static final VectorShuffle<Float>[] TREE = tree();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] tree() {
        int levels = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] t = new VectorShuffle[levels];
        for (int level = 0; level < levels; level++) {
            int d = L >> (level + 1);
            t[level] = VectorShuffle.fromOp(F32, i -> i ^ d);
        }
        return t;
    }

    private static final VectorShuffle<Float> HALF = TREE.length > 0 ? TREE[0] : null;
    private static final VectorShuffle<Float> QUARTER = TREE.length > 1 ? TREE[1] : null;
    private static final VectorShuffle<Float> EIGHTH = TREE.length > 2 ? TREE[2] : null;

    /**
     * Σ lanes in a fixed order: a pairwise tree (at 8 lanes ((x0 + x4) + (x2 + x6)) + ((x1 + x5) + (x3 + x7))), each
     * level one lane permutation and one vector add. reduceLanes(ADD) leaves the order unspecified for floats, and the
     * interpreter's order differs from C2's, so results changed in the last bit once a method was compiled — enough to
     * make chaotic training runs irreproducible; the tree's order is the same in every mode. It replaced eight
     * lane extracts and seven dependent scalar adds per sum.
     */
    private static float laneSum(FloatVector v) {
        if (L == 8) {
            v = v.add(v.rearrange(HALF));
            v = v.add(v.rearrange(QUARTER));
            return v.add(v.rearrange(EIGHTH)).lane(0);
        }
        for (VectorShuffle<Float> s : TREE) {
            v = v.add(v.rearrange(s));
        }
        return v.lane(0);
    }

    private static void store(float[] c, int o, FloatVector v, boolean add) {
        (add ? v.add(FloatVector.fromArray(F32, c, o)) : v).intoArray(c, o);
    }

    private static void storeRow(float[] c, int o, FloatVector v0, FloatVector v1, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(F32, c, o));
            v1 = v1.add(FloatVector.fromArray(F32, c, o + L));
        }
        v0.intoArray(c, o);
        v1.intoArray(c, o + L);
    }
}
