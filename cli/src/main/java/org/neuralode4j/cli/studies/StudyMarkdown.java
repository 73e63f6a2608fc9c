package org.neuralode4j.cli.studies;

import java.util.Locale;
import java.util.Map;
import org.neuralode4j.analysis.verdict.Outcome;
import org.neuralode4j.analysis.verdict.Verdict;

/** The pieces every study report shares: a claim with its verdict and evidence, and "mean ± sd" cells. */
final class StudyMarkdown {
    private StudyMarkdown() {}

    /**
     * Appends "### id: text", the verdict, and one bullet per detail: its key, then the outcome's explanation (a
     * null outcome prints the key alone, which then says why there is no comparison). Records the verdict label.
     */
    static void claim(StringBuilder md, Map<String, Object> verdicts, String id, String text, Verdict v,
                      Map<String, Outcome> details) {
        verdicts.put(id, v.label());
        md.append("### ").append(id).append(": ").append(text).append("\n\n**Verdict: ").append(v.label()).append("**\n\n");
        for (Map.Entry<String, Outcome> e : details.entrySet()) {
            md.append("- ").append(e.getKey());
            if (e.getValue() != null) {
                md.append(": ").append(e.getValue().explanation());
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /**
     * "mean ± sd" over the finite values (sample sd; a single value prints alone); "–" when none is finite (a
     * channel the arm does not integrate, or every run diverged).
     */
    static String meanSd(double[] v) {
        double s = 0;
        int k = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                k++;
            }
        }
        if (k == 0) {
            return "–";
        }
        double m = s / k;
        double ss = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - m) * (x - m);
            }
        }
        return fmt(m) + (k > 1 ? " ± " + fmt(Math.sqrt(ss / (k - 1))) : "");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
