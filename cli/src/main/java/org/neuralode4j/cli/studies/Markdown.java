package org.neuralode4j.cli.studies;

import java.util.List;
import java.util.Locale;

/** The cells and tables every study report shares. */
final class Markdown {
    private Markdown() {}

    /**
     * "mean ± sd" over the finite values (sample sd; a single value prints alone); "–" when none is finite (a
     * channel the arm does not integrate, or every run failed).
     */
    static String meanSd(double[] v) {
        double m = Results.mean(v);
        if (Double.isNaN(m)) {
            return "–";
        }
        double ss = 0;
        int k = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - m) * (x - m);
                k++;
            }
        }
        return fmt(m) + (k > 1 ? " ± " + fmt(Math.sqrt(ss / (k - 1))) : "");
    }

    /**
     * The heading of a report's per-seed table: which seeds its cells list, in order (the runs' own seeds, which a
     * rerun under changed rules takes fresh), and that a run that did not finish leaves its row shorter.
     */
    static String perSeedHeading(Results rs) {
        StringBuilder seeds = new StringBuilder();
        rs.runs().stream().mapToInt(r -> r.run().seed()).distinct().sorted()
                .forEach(s -> seeds.append(seeds.length() == 0 ? "" : ", ").append(s));
        return "\n## Per-seed values (seeds " + seeds + " in that order; a failed run drops out of its row)\n\n";
    }

    /** Per-seed values separated by " / " ("–" for a missing one). */
    static String perSeed(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(Double.isNaN(v[i]) ? "–" : fmt(v[i]));
        }
        return sb.length() == 0 ? "–" : sb.toString();
    }

    static String fmt(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A table header with its separator line. */
    static String header(String... columns) {
        return "| " + String.join(" | ", columns) + " |\n|" + "---|".repeat(columns.length) + "\n";
    }

    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** λ printed without trailing zeros: 0.01, 1. */
    static String lambda(double l) {
        return java.math.BigDecimal.valueOf(l).stripTrailingZeros().toPlainString();
    }
}
