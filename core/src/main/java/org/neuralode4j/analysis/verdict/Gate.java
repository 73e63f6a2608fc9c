package org.neuralode4j.analysis.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sanity check that must pass before a verdict is given (claims.md §0.1 "Gates"): (a) baseline quality, the
 * unregularised arm reaches the expected quality in every seed; (b) collapse, an arm far worse than the baseline is
 * flagged and kept out of the rows it would decide. A failed gate turns the row into "inconclusive: gate failed
 * (reason)" ({@link GatedVerdict}).
 *
 * @param name what is checked, e.g. "baseline quality moons"
 * @param passed whether it passed
 * @param reason the numbers: "unregularised accuracy ≥ 0.95 in 3 of 5 seeds (0.91, 0.93 below)"
 */
public record Gate(String name, boolean passed, String reason) {

    /**
     * Baseline quality: every seed's value meets the threshold (≥ for higher-is-better, ≤ otherwise); NaN (a run
     * that failed) does not meet it.
     */
    public static Gate baselineQuality(String name, double[] perSeed, double threshold, boolean higherIsBetter) {
        List<String> misses = new ArrayList<>();
        for (double v : perSeed) {
            boolean ok = higherIsBetter ? v >= threshold : v <= threshold;
            if (!ok) misses.add(fmt(v));
        }
        boolean passed = misses.isEmpty() && perSeed.length > 0;
        return new Gate(name, passed, name + ": " + (higherIsBetter ? "≥ " : "≤ ") + fmt(threshold) + " in "
            + (perSeed.length - misses.size()) + " of " + perSeed.length + " seeds"
            + (misses.isEmpty() ? "" : " (" + String.join(", ", misses) + " miss)"));
    }

    /**
     * Collapse: the arm's seed mean is worse than the baseline's seed mean by more than the tolerance (accuracy:
     * 0.10 lower; NLL: 0.5 nats higher). {@link #passed()} is false for a collapsed arm.
     */
    public static Gate collapse(String arm, double[] armValues, double[] baselineValues, double tolerance,
            boolean higherIsBetter) {
        double a = FiniteValues.mean(armValues);
        double b = FiniteValues.mean(baselineValues);
        double worse = higherIsBetter ? b - a : a - b;
        boolean collapsed = !(worse <= tolerance);
        return new Gate("collapse " + arm, !collapsed, arm + ": mean " + fmt(a) + " vs baseline " + fmt(b)
            + (collapsed ? " (collapsed: worse by more than " + fmt(tolerance) + ")" : ""));
    }

    /** The failed gates among {@code gates}. */
    public static List<Gate> failed(List<Gate> gates) {
        return gates.stream().filter(g -> !g.passed()).toList();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
