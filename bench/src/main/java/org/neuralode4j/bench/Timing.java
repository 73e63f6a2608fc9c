package org.neuralode4j.bench;

import java.util.Arrays;

/** Warm-up then median-of-rounds wall-clock timing, for the quick runners (JMH does the careful work). */
final class Timing {
    private Timing() {}

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
