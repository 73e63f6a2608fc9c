package org.neuralode4j.cli.studies;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run measured: named scalars and named series (per epoch, per ε, per iteration). Keys that start with
 * {@value #TIMING} are wall-clock measurements; everything else is a deterministic function of the run's settings
 * and seed, which is what makes a merged report equal to a single run's (timings aside).
 */
public record Measurements(Map<String, Double> scalars, Map<String, double[]> series) {
    /** Prefix of wall-clock keys. */
    public static final String TIMING = "time.";
    /**
     * The machine's 1-minute load average when a run started and ended (recorded by the runner, not the study): with
     * the timings because it is not a function of the settings, and it tells what else the machine ran meanwhile.
     */
    public static final String LOAD_START = TIMING + "load.start";
    public static final String LOAD_END = TIMING + "load.end";

    public Measurements {
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        Map<String, double[]> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, v.clone()));
        series = Collections.unmodifiableMap(copy);
    }

    /** A scalar, NaN when absent (an arm that does not measure it, or a failed run). */
    public double scalar(String key) {
        return scalars.getOrDefault(key, Double.NaN);
    }

    /** A series (a copy), empty when absent. */
    public double[] series(String key) {
        double[] v = series.get(key);
        return v == null ? new double[0] : v.clone();
    }

    /** These measurements and one more scalar. */
    public Measurements with(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(scalars);
        more.put(key, value);
        return new Measurements(more, series);
    }

    /** Collects measurements in insertion order. */
    public static final class Builder {
        private final Map<String, Double> scalars = new LinkedHashMap<>();
        private final Map<String, double[]> series = new LinkedHashMap<>();

        public Builder put(String key, double value) {
            scalars.put(key, value);
            return this;
        }

        public Builder put(String key, double[] values) {
            series.put(key, values.clone());
            return this;
        }

        public Measurements build() {
            return new Measurements(scalars, series);
        }
    }
}
