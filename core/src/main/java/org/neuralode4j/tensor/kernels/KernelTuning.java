package org.neuralode4j.tensor.kernels;

/**
 * Switch points of the kernels, kept together (as EJML keeps its in {@code EjmlParameters}) so they can be
 * tuned and reported in one place.
 *
 * <p>The machine this was tuned on has 2 cores: threads pay only for large GEMMs or across a batch.
 */
public final class KernelTuning {
    /** Multiply–adds (m·n·k) above which a GEMM is split across threads. */
    public static final long GEMM_PARALLEL_FLOPS = 1L << 21;

    private static volatile int maxThreads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
            Integer.getInteger("neuralode4j.threads", Runtime.getRuntime().availableProcessors())));

    private KernelTuning() {}

    /** Upper bound on the threads a kernel may use (1 = single-threaded). */
    public static int maxThreads() {
        return maxThreads;
    }

    /** Sets the thread bound for all kernels, e.g. 1 for single-threaded benchmarks. */
    public static void setMaxThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, got " + n);
        }
        maxThreads = n;
    }
}
