package org.neuralode4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.tensor.kernels.simd.SimdGemmF32;

/**
 * The float32 twin of {@code GemmF64Test}: GemmF32 and both float32 kernel families against a naive triple loop
 * summed in double on the same float inputs: random seeded sizes (including 0, 1, odd
 * and skinny shapes, k past the SIMD k-block), all transpose combinations, accumulate on and off, offsets,
 * leading dimensions wider than the matrix, and the threaded and batched paths.
 */
@Tag("kernels")
class GemmF32Test {
    private static final int[] SIZES = {0, 1, 2, 3, 5, 7, 13, 31, 64, 65, 127, 256};
    private static final float GUARD = -7.25f;

    /** The strided signature shared by PlainGemmF32 and SimdGemmF32. */
    interface Strided {
        void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA, float[] b, int bOff, int ldb,
                  boolean transB, float[] c, int cOff, int ldc, boolean accumulate);
    }

    @Test
    void dispatcherMatchesNaive() {
        run((m, n, k, a, aOff, lda, tA, b, bOff, ldb, tB, c, cOff, ldc, acc) ->
                GemmF32.gemm(m, n, k, a, aOff, tA, b, bOff, tB, c, cOff, acc), false, 11);
    }

    @Test
    void plainMatchesNaive() {
        run(PlainGemmF32::gemm, true, 12);
    }

    @Test
    void simdMatchesNaive() {
        Assumptions.assumeTrue(Kernels.vectorApiPresent(), "jdk.incubator.vector not in this JVM");
        run(SimdGemmF32::gemm, true, 13);
    }

    /** The float32 dispatcher against the float64 one on the same (float-representable) operands. */
    @Test
    void matchesTheFloat64KernelOnTheSameValues() {
        Random r = new Random(31);
        for (int[] s : new int[][] {{256, 64, 3}, {256, 64, 64}, {64, 64, 256}, {33, 20, 450}, {256, 2, 64}, {7, 13, 5},
            {128, 64, 3}, {128, 3, 64}, {64, 64, 128}, {64, 3, 128}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            double[] a64 = new double[a.length];
            double[] b64 = new double[b.length];
            for (int i = 0; i < a.length; i++) {
                a64[i] = a[i];
            }
            for (int i = 0; i < b.length; i++) {
                b64[i] = b[i];
            }
            for (int t = 0; t < 4; t++) {
                boolean tA = (t & 1) != 0;
                boolean tB = (t & 2) != 0;
                float[] c = new float[m * n];
                double[] c64 = new double[m * n];
                GemmF32.gemm(m, n, k, a, 0, tA, b, 0, tB, c, 0, false);
                org.neuralode4j.tensor.kernels.GemmF64.gemm(m, n, k, a64, 0, tA, b64, 0, tB, c64, 0, false);
                for (int i = 0; i < c.length; i++) {
                    if (!(Math.abs(c[i] - c64[i]) <= scaleOf(k))) {
                        fail(m + "x" + n + "x" + k + " t=" + t + ": index " + i + " f32 " + c[i] + " f64 " + c64[i]);
                    }
                }
            }
        }
    }

    @Test
    void threadedSplitsMatchNaive() {
        int saved = KernelTuning.maxThreads();
        KernelTuning.setMaxThreads(2);
        try {
            Random r = new Random(21);
            // m >= n splits rows, m < n splits columns; both above GEMM_PARALLEL_FLOPS.
            int[][] shapes = {{133, 129, 128}, {64, 300, 160}, {257, 3, 4000}};
            for (int[] s : shapes) {
                if ((long) s[0] * s[1] * s[2] < KernelTuning.GEMM_PARALLEL_FLOPS) {
                    fail("shape below the threading threshold: " + s[0] + "x" + s[1] + "x" + s[2]);
                }
                for (int t = 0; t < 4; t++) {
                    check((m, n, k, a, aOff, lda, tA, b, bOff, ldb, tB, c, cOff, ldc, acc) ->
                                    GemmF32.gemm(m, n, k, a, aOff, tA, b, bOff, tB, c, cOff, acc),
                            s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, t == 3, false, r);
                }
            }
        } finally {
            KernelTuning.setMaxThreads(saved);
        }
    }

    @Test
    void batchedMatchesPerItemProducts() {
        int saved = KernelTuning.maxThreads();
        Random r = new Random(5);
        try {
            for (int threads : new int[] {1, 2}) {
                KernelTuning.setMaxThreads(threads);
                // 40 items of 32x48x40 exceed the threshold together but not alone: the batch is split.
                int batch = 40;
                int m = 32;
                int n = 48;
                int k = 40;
                for (boolean sharedB : new boolean[] {false, true}) {
                    float[] a = random(r, 3 + batch * m * k);
                    float[] b = random(r, 1 + (sharedB ? 1 : batch) * k * n);
                    float[] c = random(r, 2 + batch * m * n);
                    float[] expected = c.clone();
                    for (int i = 0; i < batch; i++) {
                        naive(m, n, k, a, 3 + i * m * k, true, b, 1 + (sharedB ? 0 : i * k * n), false,
                                expected, 2 + i * m * n, true);
                    }
                    GemmF32.gemmBatched(batch, m, n, k, a, 3, m * k, true, b, 1, sharedB ? 0 : k * n, false,
                            c, 2, m * n, true);
                    assertClose(expected, c, scaleOf(k), "batched shared=" + sharedB + " threads=" + threads);
                }
            }
        } finally {
            KernelTuning.setMaxThreads(saved);
        }
    }

    @Test
    void zeroInnerDimensionClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        GemmF32.gemm(2, 3, 0, new float[0], 0, false, new float[0], 0, false, c, 0, true);
        assertClose(new float[] {1, 2, 3, 4, 5, 6}, c, 0, "k=0 accumulate");
        GemmF32.gemm(2, 3, 0, new float[0], 0, false, new float[0], 0, false, c, 0, false);
        assertClose(new float[6], c, 0, "k=0 overwrite");
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        float[] six = new float[6];
        assertThrows(IndexOutOfBoundsException.class, () -> GemmF32.gemm(2, 3, 2, six, 3, false, six, 0, false, six, 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> GemmF32.gemm(2, 3, 2, six, 0, false, six, 0, false, six, 1, false));
        assertThrows(IndexOutOfBoundsException.class, () -> GemmF32.gemm(-1, 3, 2, six, 0, false, six, 0, false, six, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> GemmF32.gemmBatched(2, 1, 3, 1, six, 0, 1, false, six, 0, 3, false, six, 0, 2, false));
    }

    // ------------------------------------------------------------------ harness

    private static void run(Strided impl, boolean padded, long seed) {
        Random r = new Random(seed);
        List<int[]> shapes = new ArrayList<>();
        // Skinny shapes of the neural-ODE hot path, and k past the SIMD k-block / n past its column block.
        int[][] fixed = {{256, 64, 3}, {256, 64, 64}, {256, 2, 64}, {256, 3, 64}, {256, 64, 2}, {64, 64, 256},
            {3, 64, 256}, {64, 2, 256}, {1, 64, 64}, {256, 2, 64}, {784, 16, 144}, {40, 40, 300}, {9, 2100, 17},
            {130, 35, 20}, {12, 33, 7}};
        for (int[] f : fixed) {
            shapes.add(f);
        }
        while (shapes.size() < 140) {
            int m = SIZES[r.nextInt(SIZES.length)];
            int n = SIZES[r.nextInt(SIZES.length)];
            int k = SIZES[r.nextInt(SIZES.length)];
            if ((long) m * n * k <= 600_000) {
                shapes.add(new int[] {m, n, k});
            }
        }
        for (int[] s : shapes) {
            boolean transA = r.nextBoolean();
            boolean transB = r.nextBoolean();
            check(impl, s[0], s[1], s[2], transA, transB, r.nextBoolean(), padded && r.nextBoolean(), r);
        }
        // Every transpose/accumulate combination on a few sizes that hit each kernel path and its edges; the direct
        // path's 4-row × 2-vector tiles (n a multiple of 2 vectors past the 4-vector columns, m not a multiple of 4),
        // the 16-channel convolutions of W3 (61×16×48) among them; and the products of one W1 shard of 128 rows (two
        // data-parallel shards of a 256 batch): forward 3->64, 64->64, 64->3 and the backward products of each layer.
        for (int[] s : new int[][] {{65, 31, 127}, {7, 13, 5}, {127, 3, 65}, {5, 64, 1}, {2, 2, 2}, {33, 20, 450},
            {61, 16, 48}, {6, 16, 9}, {3, 16, 20}, {66, 48, 17}, {13, 57, 30}, {61, 8, 48}, {6, 24, 9}, {13, 29, 30},
            {49, 32, 144}, {128, 64, 3}, {128, 64, 64}, {128, 3, 64}, {64, 64, 128}, {3, 64, 128}, {64, 3, 128}}) {
            for (int t = 0; t < 8; t++) {
                check(impl, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, (t & 4) != 0, padded, r);
            }
        }
    }

    /**
     * One product at random offsets; with {@code padded}, leading dimensions exceed the row length (only the
     * strided kernels take them). Entries of C outside the m×n block must keep their guard value.
     */
    private static void check(Strided impl, int m, int n, int k, boolean transA, boolean transB, boolean acc,
                              boolean padded, Random r) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + (padded ? 3 : 0);
        int ldb = bCols + (padded ? 2 : 0);
        int ldc = n + (padded ? 5 : 0);
        int aOff = r.nextInt(4);
        int bOff = r.nextInt(4);
        int cOff = r.nextInt(4);
        float[] a = random(r, aOff + aRows * lda + 3);
        float[] b = random(r, bOff + bRows * ldb + 3);
        float[] c = new float[cOff + m * ldc + 3];
        java.util.Arrays.fill(c, GUARD);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = (float) (r.nextDouble() - 0.5);
            }
        }
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += x * y;
                }
                int o = cOff + i * ldc + j;
                expected[o] = (float) (acc ? expected[o] + sum : sum);
            }
        }
        impl.gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, acc);
        assertClose(expected, c, scaleOf(k), m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB
                + " acc=" + acc + " padded=" + padded);
    }

    /** Reference on contiguous operands. */
    private static void naive(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b, int bOff,
                              boolean transB, float[] c, int cOff, boolean acc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? a[aOff + p * m + i] : a[aOff + i * k + p]) * (transB ? b[bOff + j * k + p] : b[bOff + p * n + j]);
                }
                c[cOff + i * n + j] = (float) (acc ? c[cOff + i * n + j] + sum : sum);
            }
        }
    }

    /**
     * Entries are in [-0.5, 0.5): a k-term sum is bounded by k/4, plus 1 for C. Float32 sums of k products err by
     * at most about k·u of that bound (u = 2^-24), in practice about √k·u; 1e-6 per unit of the bound (17·u) sits
     * between the two for the k up to 4000 used here, while a wrong or missing product errs by about 0.1.
     */
    private static double scaleOf(int k) {
        return 1e-6 * (k / 4.0 + 1);
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
        }
        return x;
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
