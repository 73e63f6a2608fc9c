package org.neuralode4j.tensor.kernels;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.neuralode4j.tensor.kernels.simd.SimdGemmF32;

/**
 * float32 matrix product C = op(A)·op(B) (+ C) on row-major {@code float[]} storage: the entry point for all
 *
 * <p><b>Float32 twin of {@code GemmF64}</b>, generated from it by a type substitution (double → float, 4 → 8 lanes)
 * and kept in step with it by hand: Java has no generics over primitive arrays, and the innermost loops must
 * stay monomorphic to vectorise. The structure, blockings and the measurements quoted below are the float64 dispatcher's; with
 * twice the lanes per register the float32 tiles cover twice the columns.
 *
 * GEMMs of the library (dense layers, their gradients, convolutions via im2row).
 *
 * <p>Layouts, all row-major and contiguous from the given offset: A is [m×k], or [k×m] when {@code transA};
 * B is [k×n], or [n×k] when {@code transB}; C is [m×n] and is the only array written (only its m·n entries
 * from {@code cOff}). Any sizes are accepted, including zeros: with k = 0 the product is the zero matrix.
 *
 * <p>Dispatch: the Vector API kernel ({@code simd.SimdGemmF32}) when {@link Kernels#simd()}, otherwise
 * {@link PlainGemmF32}. Products of at least {@link KernelTuning#GEMM_PARALLEL_FLOPS} multiply–adds are split
 * into row (or column) blocks over a shared daemon {@link ForkJoinPool} when {@link KernelTuning#maxThreads()}
 * allows; smaller ones run on the calling thread, since waking a worker costs more than they take.
 * {@link #gemmBatched} runs many independent products and parallelises across the batch instead.
 */
public final class GemmF32 {
    /** Row blocks given to threads are multiples of this (the SIMD micro-tile height). */
    private static final int ROW_ALIGN = 4;
    /** Column blocks given to threads are multiples of this (a SIMD micro-tile width up to AVX-512). */
    private static final int COL_ALIGN = 16;

    private GemmF32() {}

    /**
     * C[m×n] = op(A)·op(B), plus the previous C when {@code accumulate}.
     *
     * @param a      A, [m×k] row-major from {@code aOff}, or [k×m] when {@code transA}
     * @param b      B, [k×n] row-major from {@code bOff}, or [n×k] when {@code transB}
     * @param c      C, [m×n] row-major from {@code cOff}; written
     * @throws IndexOutOfBoundsException if a size is negative or an operand does not fit its array
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, boolean transA,
                            float[] b, int bOff, boolean transB, float[] c, int cOff, boolean accumulate) {
        checkOperands(m, n, k, a, aOff, b, bOff, c, cOff);
        long work = (long) m * n * k;
        int parts = work >= KernelTuning.GEMM_PARALLEL_FLOPS ? threads() : 1;
        if (parts == 1) {
            single(m, n, k, a, aOff, transA ? m : k, transA, b, bOff, transB ? k : n, transB, c, cOff, n, accumulate);
        } else if (m >= n) {
            splitRows(parts, m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, accumulate);
        } else {
            splitColumns(parts, m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, accumulate);
        }
    }

    /**
     * The plain-Java kernel regardless of {@link Kernels#simd()}, single-threaded: for benchmarks that report
     * the fallback's speed beside the Vector API's in one JVM. Same contract as {@link #gemm}.
     */
    public static void gemmPlain(int m, int n, int k, float[] a, int aOff, boolean transA,
                                 float[] b, int bOff, boolean transB, float[] c, int cOff, boolean accumulate) {
        checkOperands(m, n, k, a, aOff, b, bOff, c, cOff);
        PlainGemmF32.gemm(m, n, k, a, aOff, transA ? m : k, transA, b, bOff, transB ? k : n, transB, c, cOff, n, accumulate);
    }

    /**
     * {@code batch} independent products: item i is {@link #gemm} on the operands at {@code aOff + i*aStride},
     * {@code bOff + i*bStride}, {@code cOff + i*cStride}. A stride of 0 for A or B shares that operand across
     * the batch (e.g. one weight matrix). When each product is small but the batch as a whole is large, the
     * items (not the products) are spread over threads.
     *
     * @throws IllegalArgumentException if a stride is negative or {@code cStride < m*n} with batch &gt; 1
     *                                   (the outputs would overlap)
     */
    public static void gemmBatched(int batch, int m, int n, int k,
                                   float[] a, int aOff, int aStride, boolean transA,
                                   float[] b, int bOff, int bStride, boolean transB,
                                   float[] c, int cOff, int cStride, boolean accumulate) {
        if (batch < 0 || aStride < 0 || bStride < 0 || (batch > 1 && cStride < (long) m * n)) {
            throw new IllegalArgumentException("gemmBatched: batch " + batch + ", strides " + aStride + "/" + bStride
                    + "/" + cStride + " for " + m + "x" + n + "x" + k);
        }
        if (batch == 0) {
            return;
        }
        checkOperands(m, n, k, a, aOff + (long) (batch - 1) * aStride, b, bOff + (long) (batch - 1) * bStride,
                c, cOff + (long) (batch - 1) * cStride);
        long work = (long) m * n * k;
        int parts = work < KernelTuning.GEMM_PARALLEL_FLOPS && work * batch >= KernelTuning.GEMM_PARALLEL_FLOPS
                ? Math.min(threads(), batch) : 1;
        if (parts == 1) {
            for (int i = 0; i < batch; i++) {
                gemm(m, n, k, a, aOff + i * aStride, transA, b, bOff + i * bStride, transB, c, cOff + i * cStride, accumulate);
            }
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        parallel(parts, t -> {
            for (int i = (int) ((long) batch * t / parts), end = (int) ((long) batch * (t + 1) / parts); i < end; i++) {
                single(m, n, k, a, aOff + i * aStride, lda, transA, b, bOff + i * bStride, ldb, transB,
                        c, cOff + i * cStride, n, accumulate);
            }
        });
    }

    /** Single-threaded strided product on the selected kernel family (layouts as in {@link PlainGemmF32}). */
    static void single(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (Kernels.simd()) {
            SimdGemmF32.gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate);
        } else {
            PlainGemmF32.gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate);
        }
    }

    private static void splitRows(int parts, int m, int n, int k, float[] a, int aOff, boolean transA,
                                  float[] b, int bOff, boolean transB, float[] c, int cOff, boolean accumulate) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int block = roundUp((m + parts - 1) / parts, ROW_ALIGN);
        parallel((m + block - 1) / block, t -> {
            int i0 = t * block;
            int rows = Math.min(block, m - i0);
            single(rows, n, k, a, aOff + (transA ? i0 : i0 * lda), lda, transA, b, bOff, ldb, transB,
                    c, cOff + i0 * n, n, accumulate);
        });
    }

    private static void splitColumns(int parts, int m, int n, int k, float[] a, int aOff, boolean transA,
                                     float[] b, int bOff, boolean transB, float[] c, int cOff, boolean accumulate) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int block = roundUp((n + parts - 1) / parts, COL_ALIGN);
        parallel((n + block - 1) / block, t -> {
            int j0 = t * block;
            int cols = Math.min(block, n - j0);
            single(m, cols, k, a, aOff, lda, transA, b, bOff + (transB ? j0 * ldb : j0), ldb, transB,
                    c, cOff + j0, n, accumulate);
        });
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void checkOperands(int m, int n, int k, float[] a, long aOff, float[] b, long bOff,
                                      float[] c, long cOff) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IndexOutOfBoundsException("gemm: negative size " + m + "x" + n + "x" + k);
        }
        Objects.checkFromIndexSize(aOff, (long) m * k, a.length);
        Objects.checkFromIndexSize(bOff, (long) k * n, b.length);
        Objects.checkFromIndexSize(cOff, (long) m * n, c.length);
    }

    // ------------------------------------------------------------------ threads: those of GemmF64, shared

    static int threads() {
        return GemmF64.threads();
    }

    static void parallel(int parts, IntConsumer body) {
        GemmF64.parallel(parts, body);
    }
}
