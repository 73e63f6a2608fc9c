package org.neuralode4j.analysis.verdict;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The verdict rules of evaluation.md §4.4 and the task aggregation of claims.md §0.
 *
 * <ul>
 *   <li>{@link #directional}: "T lowers/raises X";
 *   <li>{@link #nonInferiority}: "T does not hurt X";
 *   <li>{@link #existential}: "T can raise X" over m configurations, Bonferroni-corrected;
 *   <li>{@link #compound}: the weakest part decides;
 *   <li>{@link #checkRule}: seed mean against a stated threshold (claims.md §0, check-rules);
 *   <li>{@link #aggregateOverTasks}: per-task verdicts to one verdict.
 * </ul>
 * Every rule requires S ≥ 3; with fewer seeds the verdict is always "inconclusive (fewer than 3 seeds)" with the
 * observed direction shown, because with S ≤ 2 the se estimate is too unstable for even a screening rule.
 */
public final class VerdictRule {
    private VerdictRule() {}

    /** The minimum number of seeds any rule accepts. */
    public static final int MIN_SEEDS = 3;

    /** Suffix used in explanations when S &lt; 3. */
    public static final String FEWER_THAN_3_SEEDS = "(fewer than 3 seeds)";

    // ------------------------------------------------------------------ directional

    /**
     * Directional rule ("T lowers X"; mirror for "raises"), evaluation.md §4.4:
     * supported if d̄ is in the claimed direction with |d̄| &gt; z·se and |d̄| ≥ f; not supported if d̄ is opposite
     * with |d̄| &gt; z·se and |d̄| ≥ f, or if |d̄| + z·se &lt; f (confidently negligible); inconclusive otherwise.
     */
    public static Outcome directional(PairedComparison c, Direction dir, double floor, double z) {
        checkParams(floor, "floor");
        return directional(c.meanDiff(), c.se(), c.seeds(), c.scale(), dir, floor, z, "z");
    }

    /** Directional rule with z from the rule (2, or t_{0.975, S−1}). */
    public static Outcome directional(PairedComparison c, Direction dir, double floor, ZRule rule) {
        return directional(c, dir, floor, criticalOrNaN(rule, c.seeds(), 1));
    }

    /** Directional rule with the default z = 2. */
    public static Outcome directional(PairedComparison c, Direction dir, double floor) {
        return directional(c, dir, floor, Floors.DEFAULT_Z);
    }

    private static Outcome directional(double d, double se, int s, Scale scale, Direction dir, double floor,
            double z, String zName) {
        String nums = "d̄ = " + num(d) + " ± " + num(se) + " (" + scale.label() + ", S = " + s + ", " + zName
            + " = " + zFmt(z) + ", floor " + plain(floor) + ")";
        if (s < MIN_SEEDS) return fewSeeds(d, se, z, floor, Double.NaN, s, nums);
        double a = Math.abs(d);
        boolean clear = a > z * se && a >= floor;
        Verdict v;
        String why;
        if (clear && dir.sign() * d > 0) {
            v = Verdict.SUPPORTED;
            why = "";
        } else if (clear && dir.sign() * d < 0) {
            v = Verdict.NOT_SUPPORTED;
            why = " (opposite direction)";
        } else if (a + z * se < floor) {
            v = Verdict.NOT_SUPPORTED;
            why = " (confidently negligible)";
        } else {
            v = Verdict.INCONCLUSIVE;
            why = "";
        }
        return new Outcome(v, d, se, z, floor, Double.NaN, s, -1, List.of(),
            nums + ": " + v.label() + why + "; claim: " + dir.label());
    }

    // ------------------------------------------------------------------ non-inferiority

    /**
     * Non-inferiority ("T does not hurt X"), evaluation.md §4.4. Higher is better: supported if d̄ − z·se &gt; −Δ,
     * not supported if d̄ + z·se &lt; −Δ. Lower is better: the mirror (supported if d̄ + z·se &lt; Δ, not supported
     * if d̄ − z·se &gt; Δ). Inconclusive otherwise.
     */
    public static Outcome nonInferiority(PairedComparison c, boolean higherIsBetter, double delta, double z) {
        checkParams(delta, "delta");
        double d = c.meanDiff();
        double se = c.se();
        int s = c.seeds();
        String nums = "d̄ = " + num(d) + " ± " + num(se) + " (" + c.scale().label() + ", S = " + s + ", z = "
            + zFmt(z) + ", Δ " + plain(delta) + ", " + (higherIsBetter ? "higher" : "lower") + " is better)";
        if (s < MIN_SEEDS) return fewSeeds(d, se, z, Double.NaN, delta, s, nums);
        // Orient so that positive means "better for T"; then one set of inequalities covers both cases.
        double g = higherIsBetter ? d : -d;
        Verdict v;
        if (g - z * se > -delta) v = Verdict.SUPPORTED;
        else if (g + z * se < -delta) v = Verdict.NOT_SUPPORTED;
        else v = Verdict.INCONCLUSIVE;
        return new Outcome(v, d, se, z, Double.NaN, delta, s, -1, List.of(),
            nums + ": " + v.label() + "; claim: does not hurt");
    }

    /** Non-inferiority with z from the rule. */
    public static Outcome nonInferiority(PairedComparison c, boolean higherIsBetter, double delta, ZRule rule) {
        return nonInferiority(c, higherIsBetter, delta, criticalOrNaN(rule, c.seeds(), 1));
    }

    /** Non-inferiority with the default z = 2. */
    public static Outcome nonInferiority(PairedComparison c, boolean higherIsBetter, double delta) {
        return nonInferiority(c, higherIsBetter, delta, Floors.DEFAULT_Z);
    }

    // ------------------------------------------------------------------ existential

    /** Bonferroni z_m = Φ⁻¹(1 − 0.025/m) (2.394 for m = 3, 2.773 for m = 9). */
    public static double bonferroniZ(int m) {
        if (m < 1) throw new IllegalArgumentException("m must be ≥ 1, got " + m);
        return Quantiles.normalQuantile(1 - 0.025 / m);
    }

    /**
     * Existential rule ("T can raise X" over m configurations), evaluation.md §4.4: the directional rule on each
     * configuration with z replaced by z_m (NORMAL: Φ⁻¹(1 − 0.025/m); STUDENT_T: t_{1−0.025/m, S−1}, per the
     * configuration's S). Supported if any configuration is supported (the one with the largest effect in the
     * claimed direction is named), not supported if every one is, inconclusive otherwise.
     *
     * <p>Note that for m = 1 NORMAL uses Φ⁻¹(0.975) = 1.96, the spec's formula, not the single-comparison z = 2.
     */
    public static Outcome existential(List<PairedComparison> configs, Direction dir, double floor, ZRule rule) {
        if (configs == null || configs.isEmpty()) throw new IllegalArgumentException("no configurations");
        checkParams(floor, "floor");
        int m = configs.size();
        List<Outcome> parts = new ArrayList<>(m);
        String zName = rule.label() + "_m";
        for (PairedComparison c : configs) {
            double zm = rule == ZRule.NORMAL ? bonferroniZ(m) : criticalOrNaN(rule, c.seeds(), m);
            parts.add(directional(c.meanDiff(), c.se(), c.seeds(), c.scale(), dir, floor, zm, zName));
        }
        return combineExistential(parts, dir, m, rule.label());
    }

    /** Existential rule with the Bonferroni NORMAL z_m. */
    public static Outcome existential(List<PairedComparison> configs, Direction dir, double floor) {
        return existential(configs, dir, floor, ZRule.NORMAL);
    }

    private static Outcome combineExistential(List<Outcome> parts, Direction dir, int m, String zLabel) {
        int supported = 0;
        int notSupported = 0;
        int minS = Integer.MAX_VALUE;
        int best = -1;
        int bestSupported = -1;
        for (int i = 0; i < parts.size(); i++) {
            Outcome o = parts.get(i);
            minS = Math.min(minS, o.seeds());
            if (o.verdict() == Verdict.SUPPORTED) supported++;
            if (o.verdict() == Verdict.NOT_SUPPORTED) notSupported++;
            double eff = dir.sign() * o.meanDiff();
            if (best < 0 || eff > dir.sign() * parts.get(best).meanDiff()) best = i;
            if (o.verdict() == Verdict.SUPPORTED
                && (bestSupported < 0 || eff > dir.sign() * parts.get(bestSupported).meanDiff())) {
                bestSupported = i;
            }
        }
        Verdict v;
        int named;
        if (supported > 0) {
            v = Verdict.SUPPORTED;
            named = bestSupported;
        } else {
            v = notSupported == m ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
            named = best;
        }
        Outcome n = parts.get(named);
        StringBuilder sb = new StringBuilder();
        sb.append("existential over m = ").append(m).append(" (").append(zLabel).append("_m = ")
            .append(zFmt(n.z())).append("): ");
        if (v == Verdict.SUPPORTED) {
            sb.append("config ").append(named).append(" supported, ").append(n.explanation());
            if (supported > 1) sb.append(" (").append(supported).append(" of ").append(m).append(" supported)");
        } else {
            sb.append(v.label());
            if (v == Verdict.INCONCLUSIVE && minS < MIN_SEEDS) sb.append(' ').append(FEWER_THAN_3_SEEDS);
            sb.append("; ").append(notSupported).append(" of ").append(m).append(" not supported; largest effect")
                .append(" config ").append(named).append(": ").append(n.explanation());
        }
        return new Outcome(v, n.meanDiff(), n.se(), n.z(), n.floor(), Double.NaN, minS, named, parts, sb.toString());
    }

    // ------------------------------------------------------------------ compound

    /**
     * Compound claim ("lowers NFE without hurting accuracy"): the weakest part decides, not supported &lt;
     * inconclusive &lt; supported (evaluation.md §4.4; see {@link Verdict#weakest}).
     */
    public static Outcome compound(Outcome... parts) {
        if (parts == null || parts.length == 0) throw new IllegalArgumentException("no parts");
        Verdict[] vs = new Verdict[parts.length];
        int minS = Integer.MAX_VALUE;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            vs[i] = parts[i].verdict();
            minS = Math.min(minS, parts[i].seeds());
            sb.append(i == 0 ? "" : " | ").append("part ").append(i).append(": ").append(parts[i].explanation());
        }
        Verdict v = Verdict.weakest(vs);
        return new Outcome(v, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, minS, -1,
            List.of(parts), "compound (weakest part decides): " + v.label() + " [" + sb + "]");
    }

    // ------------------------------------------------------------------ check rule

    /**
     * Check-rule (claims.md §0): compares the seed mean (on the scale) with a stated threshold. If the seeds fall
     * on both sides of the threshold the verdict is inconclusive; otherwise supported when the mean is on the
     * claimed side and not supported when it is on the other. S &lt; 3 → inconclusive.
     *
     * @param claimAbove true if the claim says the metric exceeds the threshold, false if it stays below
     */
    public static Outcome checkRule(double[] perSeed, Scale scale, double threshold, boolean claimAbove) {
        double[] x = scale.apply(perSeed);
        double thr = scale.apply(threshold);
        int s = x.length;
        double mean = PairedComparison.mean(x);
        double se = PairedComparison.sd(x) / Math.sqrt(s);
        boolean anyAbove = false;
        boolean anyBelow = false;
        for (double v : x) {
            anyAbove |= v > thr;
            anyBelow |= v < thr;
        }
        String nums = "mean = " + num(mean) + " ± " + num(se) + " (" + scale.label() + ", S = " + s
            + ", threshold " + plain(threshold) + ", claim: " + (claimAbove ? "above" : "below") + ")";
        if (s < MIN_SEEDS) {
            return new Outcome(Verdict.INCONCLUSIVE, mean - thr, se, Double.NaN, threshold, Double.NaN, s, -1,
                List.of(), nums + ": inconclusive " + FEWER_THAN_3_SEEDS + "; observed: "
                    + (mean > thr ? "above" : mean < thr ? "below" : "at threshold"));
        }
        Verdict v;
        String why = "";
        if (anyAbove && anyBelow) {
            v = Verdict.INCONCLUSIVE;
            why = " (seeds on both sides of the threshold)";
        } else if (mean == thr) {
            v = Verdict.INCONCLUSIVE;
        } else {
            v = (mean > thr) == claimAbove ? Verdict.SUPPORTED : Verdict.NOT_SUPPORTED;
        }
        return new Outcome(v, mean - thr, se, Double.NaN, threshold, Double.NaN, s, -1, List.of(),
            nums + ": " + v.label() + why);
    }

    // ------------------------------------------------------------------ aggregation over tasks

    /**
     * Aggregation of per-task verdicts (claims.md §0). NOT_TESTED tasks are not "tasks run" and are ignored; if no
     * task was run the result is NOT_TESTED. With n tasks run:
     * SUPPORTED if supported on a majority (&gt; n/2) and not supported on none; NOT_SUPPORTED if not supported on
     * a majority and supported on none; MIXED if supported on some and not supported on others; INCONCLUSIVE
     * otherwise. A per-task MIXED or PREMISE_NOT_MET counts as run but neither supported nor not supported; when
     * the premise was met on no task the result is PREMISE_NOT_MET. Naming the tasks of a
     * MIXED verdict is the caller's job ({@link #tasksWith}).
     */
    public static Verdict aggregateOverTasks(Map<String, Verdict> perTask) {
        int run = 0;
        int sup = 0;
        int not = 0;
        int premise = 0;
        for (Verdict v : perTask.values()) {
            if (v == null) throw new IllegalArgumentException("null verdict");
            if (v == Verdict.NOT_TESTED) continue;
            run++;
            if (v == Verdict.SUPPORTED) sup++;
            if (v == Verdict.NOT_SUPPORTED) not++;
            if (v == Verdict.PREMISE_NOT_MET) premise++;
        }
        if (run == 0) return Verdict.NOT_TESTED;
        if (premise == run) return Verdict.PREMISE_NOT_MET;
        if (2 * sup > run && not == 0) return Verdict.SUPPORTED;
        if (2 * not > run && sup == 0) return Verdict.NOT_SUPPORTED;
        if (sup > 0 && not > 0) return Verdict.MIXED;
        return Verdict.INCONCLUSIVE;
    }

    /** The task names with the given verdict, sorted (for naming tasks in a MIXED line). */
    public static List<String> tasksWith(Map<String, Verdict> perTask, Verdict verdict) {
        TreeSet<String> names = new TreeSet<>();
        perTask.forEach((k, v) -> {
            if (v == verdict) names.add(k);
        });
        return List.copyOf(names);
    }

    // ------------------------------------------------------------------ helpers

    private static Outcome fewSeeds(double d, double se, double z, double floor, double delta, int s, String nums) {
        Direction obs = Direction.of(d);
        return new Outcome(Verdict.INCONCLUSIVE, d, se, z, floor, delta, s, -1, List.of(),
            nums + ": inconclusive " + FEWER_THAN_3_SEEDS + "; observed direction: "
                + (obs == null ? "none" : obs.label()));
    }

    /** z from the rule, or NaN where it cannot be computed (S &lt; 2 under STUDENT_T; the S &lt; 3 path needs none). */
    private static double criticalOrNaN(ZRule rule, int seeds, int m) {
        if (rule == ZRule.STUDENT_T && seeds < 2) return Double.NaN;
        return rule.critical(seeds, m);
    }

    private static void checkParams(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be ≥ 0, got " + v);
    }

    /** 3 decimals for ordinary magnitudes, 3 significant digits for tiny ones (‖Δ‖_F floors are 1e-3); U+2212 minus. */
    static String num(double x) {
        if (Double.isNaN(x)) return "NaN";
        String s = (x == 0 || Math.abs(x) >= 0.01) ? String.format(Locale.ROOT, "%.3f", x)
            : String.format(Locale.ROOT, "%.3g", x);
        return s.replace('-', '−');
    }

    private static String zFmt(double z) {
        if (Double.isNaN(z)) return "NaN";
        boolean twoDp = Math.abs(z * 100 - Math.rint(z * 100)) < 1e-9;
        return String.format(Locale.ROOT, twoDp ? "%.2f" : "%.3f", z);
    }

    static String plain(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
