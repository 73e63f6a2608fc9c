package org.neuralode4j.cli.studies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.neuralode4j.analysis.verdict.FiniteValues;
import org.neuralode4j.analysis.verdict.PairedComparison;
import org.neuralode4j.analysis.verdict.Scale;

/**
 * The merged results of a plan, in plan order, with the per-(task, arm) look-ups every study's rules need.
 *
 * @param runs the results, failed runs included
 * @param notNeeded the conditional runs the pre-registered selection left out (index to the reason); not executed
 */
public record Results(List<RunResult> runs, java.util.Map<Integer, String> notNeeded) {
    public Results {
        runs = runs.stream().sorted(Comparator.comparingInt(r -> r.run().index())).toList();
        notNeeded = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(notNeeded));
    }

    /** Results with every run of the plan either here or failed (no selection left any out). */
    public Results(List<RunResult> runs) {
        this(runs, java.util.Map.of());
    }

    /**
     * The completed runs of one (task, arm), by seed. A failed run has no measurements: it is left out here (and of
     * {@link #find}), so it drops out of every rule and table, and the report lists it in its own section.
     */
    public List<RunResult> of(String task, String arm) {
        return runs.stream().filter(r -> !r.failed() && r.run().task().equals(task) && r.run().arm().equals(arm))
                .sorted(Comparator.comparingInt(r -> r.run().seed())).toList();
    }

    /** One completed run, or null. */
    public RunResult find(String task, String arm, int seed) {
        for (RunResult r : runs) {
            if (!r.failed() && r.run().task().equals(task) && r.run().arm().equals(arm) && r.run().seed() == seed) {
                return r;
            }
        }
        return null;
    }

    /** Per-seed values of a scalar for one (task, arm), seeds in order (NaN where a run failed to measure it). */
    public double[] values(String task, String arm, String key) {
        return values(task, arm, r -> r.scalar(key));
    }

    public double[] values(String task, String arm, ToDoubleFunction<RunResult> metric) {
        return of(task, arm).stream().mapToDouble(metric).toArray();
    }

    /**
     * The paired comparison arm − base of a metric over the seeds where both runs give a usable value (finite, and
     * positive on log10); null when there is none. Runs that failed thus drop out of verdicts; the tables show them.
     */
    public PairedComparison pair(String task, String base, String arm, ToDoubleFunction<RunResult> metric,
                                 Scale scale) {
        return pair(task, base, arm, metric, metric, scale);
    }

    /**
     * As above, reading the base runs with {@code baseMetric} and the arm's with {@code armMetric}: for studies whose
     * runs hold several arms' measurements under arm-specific keys.
     */
    public PairedComparison pair(String task, String base, String arm, ToDoubleFunction<RunResult> baseMetric,
                                 ToDoubleFunction<RunResult> armMetric, Scale scale) {
        List<Double> b = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        for (RunResult x : of(task, base)) {
            RunResult y = find(task, arm, x.run().seed());
            if (y == null) {
                continue;
            }
            double u = baseMetric.applyAsDouble(x);
            double v = armMetric.applyAsDouble(y);
            if (Double.isFinite(u) && Double.isFinite(v) && (scale != Scale.LOG10 || (u > 0 && v > 0))) {
                b.add(u);
                t.add(v);
            }
        }
        if (b.isEmpty()) {
            return null;
        }
        return PairedComparison.of(b.stream().mapToDouble(Double::doubleValue).toArray(),
                t.stream().mapToDouble(Double::doubleValue).toArray(), scale);
    }

    public PairedComparison pair(String task, String base, String arm, String key, Scale scale) {
        return pair(task, base, arm, r -> r.scalar(key), scale);
    }

    /** Mean over finite values, NaN when none. */
    public static double mean(double[] v) {
        return FiniteValues.mean(v);
    }

    /** Sum of the runs' wall times in hours (each run uses one thread). */
    public double cpuHours() {
        return runs.stream().mapToDouble(RunResult::seconds).sum() / 3600;
    }
}
