package org.neuralode4j.analysis.verdict;

import java.util.Arrays;

/**
 * Treatment-minus-baseline comparison of one metric over seeds (evaluation.md §4.4, "Paired differences, by seed").
 *
 * <p>Values are transformed onto {@link #scale()} <em>before</em> differencing, so on LOG10 d̄ is the mean log
 * ratio X_T/X_B. Paired (arms share seeds, equal lengths): d_s = X_T,s − X_B,s, d̄ = mean d, sd(d) with
 * denominator S − 1, se_d = sd(d)/√S. Unpaired (arms do not share seeds): d̄ = mean T − mean B and
 * se = √(sd_T²/S_T + sd_B²/S_B); {@link #seeds()} is then min(S_T, S_B), which is what the S ≥ 3 requirement
 * checks.
 *
 * @param baseline per-seed raw values of arm B (copied; not transformed)
 * @param treatment per-seed raw values of arm T (copied; not transformed)
 * @param scale the metric's scale
 * @param paired whether the arms share seeds (seed s of B pairs with seed s of T)
 */
public record PairedComparison(double[] baseline, double[] treatment, Scale scale, boolean paired) {

    /** Validates and defensively copies; transforms once to surface LOG10 errors at construction. */
    public PairedComparison {
        if (baseline == null || treatment == null || scale == null) throw new NullPointerException();
        if (baseline.length == 0 || treatment.length == 0) {
            throw new IllegalArgumentException("each arm needs at least one seed");
        }
        if (paired && baseline.length != treatment.length) {
            throw new IllegalArgumentException("paired arms need equal seed counts: "
                + baseline.length + " vs " + treatment.length);
        }
        baseline = baseline.clone();
        treatment = treatment.clone();
        scale.apply(baseline);
        scale.apply(treatment);
    }

    /** Paired when the lengths agree (arms share seeds 0..S−1), unpaired otherwise. */
    public PairedComparison(double[] baseline, double[] treatment, Scale scale) {
        this(baseline, treatment, scale, baseline != null && treatment != null
            && baseline.length == treatment.length);
    }

    /** Same as the 3-argument constructor. */
    public static PairedComparison of(double[] baseline, double[] treatment, Scale scale) {
        return new PairedComparison(baseline, treatment, scale);
    }

    /** Forces the unpaired formula even for equal lengths (arms trained with different seeds). */
    public static PairedComparison unpaired(double[] baseline, double[] treatment, Scale scale) {
        return new PairedComparison(baseline, treatment, scale, false);
    }

    @Override
    public double[] baseline() {
        return baseline.clone();
    }

    @Override
    public double[] treatment() {
        return treatment.clone();
    }

    /** Baseline values on the scale. */
    public double[] scaledBaseline() {
        return scale.apply(baseline);
    }

    /** Treatment values on the scale. */
    public double[] scaledTreatment() {
        return scale.apply(treatment);
    }

    /** Per-seed differences d_s on the scale (paired only). */
    public double[] differences() {
        if (!paired) throw new IllegalStateException("unpaired comparison has no per-seed differences");
        double[] b = scaledBaseline();
        double[] t = scaledTreatment();
        double[] d = new double[b.length];
        for (int i = 0; i < d.length; i++) d[i] = t[i] - b[i];
        return d;
    }

    /** S: the seed count (paired) or min(S_T, S_B) (unpaired). */
    public int seeds() {
        return Math.min(baseline.length, treatment.length);
    }

    /** d̄ on the scale. */
    public double meanDiff() {
        if (paired) return mean(differences());
        return mean(scaledTreatment()) - mean(scaledBaseline());
    }

    /** sd(d), denominator S − 1 (NaN for S = 1, and NaN when unpaired, where no per-seed d exists). */
    public double sdDiff() {
        return paired ? sd(differences()) : Double.NaN;
    }

    /** se_d = sd(d)/√S (paired) or √(sd_T²/S_T + sd_B²/S_B) (unpaired); NaN if an arm has one seed. */
    public double se() {
        if (paired) return sdDiff() / Math.sqrt(seeds());
        double sdT = sd(scaledTreatment());
        double sdB = sd(scaledBaseline());
        return Math.sqrt(sdT * sdT / treatment.length + sdB * sdB / baseline.length);
    }

    /** Arm mean on the scale (for "mean ± sd (n = S)" lines). */
    public double meanBaseline() {
        return mean(scaledBaseline());
    }

    public double meanTreatment() {
        return mean(scaledTreatment());
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample sd with denominator n − 1 (two-pass, so offsets do not cost precision). */
    static double sd(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x);
        double ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (x.length - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairedComparison p && paired == p.paired && scale == p.scale
            && Arrays.equals(baseline, p.baseline) && Arrays.equals(treatment, p.treatment);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(baseline) + Arrays.hashCode(treatment)) + scale.hashCode()
            + (paired ? 1 : 0);
    }

    @Override
    public String toString() {
        return "PairedComparison[" + scale.label() + (paired ? ", paired" : ", unpaired") + ", B="
            + Arrays.toString(baseline) + ", T=" + Arrays.toString(treatment) + "]";
    }
}
