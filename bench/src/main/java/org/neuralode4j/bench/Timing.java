package org.neuralode4j.bench;

import java.util.Arrays;

/** Warm-up then median-of-rounds wall-clock timing, for the quick runners (JMH does the careful work). */
final class Timing {
    private Timing() {}

    /**
     * The machine's 1-minute load average (negative where the platform has none). The benches record it at their
     * start and end: the machine is shared, and a figure means little without how busy it was.
     */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Runs {@code body} until {@code warmupSeconds} have passed, then {@code rounds} rounds of {@code reps} calls,
     * and returns the median seconds per call.
     */
    static double medianSecondsPerCall(Runnable body, double warmupSeconds, int rounds, int reps) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < end) {
            body.run();
        }
        double[] per = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                body.run();
            }
            per[r] = (System.nanoTime() - t0) / 1e9 / reps;
        }
        Arrays.sort(per);
        return per[rounds / 2];
    }

    /**
     * Times single calls after {@code warmupSeconds}: returns {median, best} seconds per call over {@code calls}
     * calls. The median is the sustained figure; the best shows what the kernel does undisturbed (this 2-core VM
     * is noisy: single GEMM calls here spread from 0.9 to 1.5 ms).
     */
    static double[] perCall(Runnable body, double warmupSeconds, int calls) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < end) {
            body.run();
        }
        long[] t = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return new double[] {t[calls / 2] / 1e9, t[0] / 1e9};
    }

    /** Calls per round so that one round takes about {@code seconds}, measured after a short warm-up. */
    static int repsFor(Runnable body, double seconds) {
        for (int i = 0; i < 3; i++) {
            body.run();
        }
        long t0 = System.nanoTime();
        body.run();
        double one = Math.max((System.nanoTime() - t0) / 1e9, 1e-7);
        return (int) Math.max(1, Math.min(1_000_000, seconds / one));
    }
}
