package org.neuralode4j.cli.studies;

/**
 * One executed run: the plan's run record, its measurements, its wall time, and where and when it ran (the runs of
 * one report may come from several parts).
 *
 * @param seconds wall time of the whole run (training, evaluation, analysis)
 * @param machine commit, JVM and CPU of the part that ran it ({@link Environment#machine()})
 * @param date when the part that ran it started (ISO-8601, UTC)
 * @param failure null for a run that completed; else why it failed (its measurements are then empty, so every
 *     scalar reads NaN and the run drops out of the verdicts, and the report lists it)
 */
public record RunResult(Run run, Measurements values, double seconds, String machine, String date, String failure) {
    /** A completed run. */
    public RunResult(Run run, Measurements values, double seconds, String machine, String date) {
        this(run, values, seconds, machine, date, null);
    }

    /** A run that failed (after whatever retries its runner makes), recorded rather than dropped. */
    public static RunResult failed(Run run, String why, double seconds, String machine, String date) {
        return new RunResult(run, new Measurements.Builder().build(), seconds, machine, date, why);
    }

    public boolean failed() {
        return failure != null;
    }

    public double scalar(String key) {
        return values.scalar(key);
    }

    public double[] series(String key) {
        return values.series(key);
    }
}
