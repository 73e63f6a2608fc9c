package org.neuralode4j.cli.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's plan, fixed before any data: its runs, the settings the report prints, and every departure from
 * claims.md and from the paper (the report header lists them).
 *
 * @param mode "quick" or "full"
 * @param seeds seeds per arm
 * @param runs the independent runs, indexed 0..n−1
 * @param settings one line per setting, as printed in the report
 * @param departures one line per departure from claims.md or the paper
 */
public record Plan(String mode, int seeds, List<Run> runs, List<String> settings, List<String> departures) {
    public Plan {
        runs = List.copyOf(runs);
        settings = List.copyOf(settings);
        departures = List.copyOf(departures);
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).index() != i) {
                throw new IllegalArgumentException("run " + i + " has index " + runs.get(i).index());
            }
        }
    }

    public boolean quick() {
        return mode.equals("quick");
    }

    /** Builds the runs of a plan in order, numbering them. */
    public static final class Builder {
        private final List<Run> runs = new ArrayList<>();
        private final int firstSeed;

        /** Seeds 0, 1, …. */
        public Builder() {
            this(0);
        }

        /**
         * Seeds firstSeed, firstSeed + 1, …: a rerun after the rules changed uses seeds no earlier report used
         * (claims.md §0.1).
         */
        public Builder(int firstSeed) {
            this.firstSeed = firstSeed;
        }

        /** Adds one run per seed firstSeed..firstSeed + seeds − 1 with the given settings. */
        public Builder add(String task, String arm, int seeds, Map<String, String> config, boolean timed) {
            for (int s = firstSeed; s < firstSeed + seeds; s++) {
                runs.add(new Run(runs.size(), task, arm, s, config, timed));
            }
            return this;
        }

        public List<Run> runs() {
            return List.copyOf(runs);
        }
    }

    /** A config map from alternating key, value pairs (values printed with {@link String#valueOf}). */
    public static Map<String, String> config(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return m;
    }
}
