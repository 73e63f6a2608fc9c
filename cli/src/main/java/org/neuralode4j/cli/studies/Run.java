package org.neuralode4j.cli.studies;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.neuralode4j.NeuralOdeException;

/**
 * One independent, immutable unit of a study plan: a (task, arm, seed) with every setting it needs, so that it can
 * be executed alone, on any machine, and its result merged with the others'.
 *
 * @param index position in the plan (0-based); {@code --run-only I..J} selects by it
 * @param task the data set
 * @param arm the arm's name as the report prints it
 * @param seed the model seed (initialisation, batch order, every noise draw)
 * @param config the run's settings as text (sorted; numbers printed so that they parse back exactly)
 * @param timed true when a claim reads this run's wall time: the runner then runs it with no other run alongside
 */
public record Run(int index, String task, String arm, int seed, Map<String, String> config, boolean timed) {
    public Run {
        config = Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** A numeric setting. */
    public double num(String key) {
        return Double.parseDouble(text(key));
    }

    /** An integer setting. */
    public int integer(String key) {
        return Integer.parseInt(text(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(text(key));
    }

    /** A setting; a plan without it is a programming error in the study. */
    public String text(String key) {
        String v = config.get(key);
        if (v == null) {
            throw new NeuralOdeException("run " + index + " (" + task + ", " + arm + ") has no setting '" + key + "'");
        }
        return v;
    }

    /** "task / arm / seed s" for progress lines and errors. */
    public String label() {
        return task + " / " + arm + " / seed " + seed;
    }
}
