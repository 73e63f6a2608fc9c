package org.neuralode4j.cli.studies;

/**
 * One executed run: the plan's run record, its measurements, its wall time, and where and when it ran (the runs of
 * one report may come from several parts).
 *
 * @param seconds wall time of the whole run (training, evaluation, analysis)
 * @param machine commit, JVM and CPU of the part that ran it ({@link Environment#machine()})
 * @param date when the part that ran it started (ISO-8601, UTC)
 */
public record RunResult(Run run, Measurements values, double seconds, String machine, String date) {
    public double scalar(String key) {
        return values.scalar(key);
    }

    public double[] series(String key) {
        return values.series(key);
    }
}
