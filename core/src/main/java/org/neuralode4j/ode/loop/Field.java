package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.tensor.Tensor;

/**
 * The right-hand side as the loops see it: in the forward variable s = sign·t (so every loop steps forward,
 * solvers.md §0), counting calls, and checking each result for NaN/Inf in the same pass the caller needs anyway.
 */
final class Field {
    private final Dynamics f;
    private final double sign;
    private final List<String> names;
    private long calls;
    private long rows;

    Field(Dynamics f, double sign, List<String> names) {
        this.f = f;
        this.sign = sign;
        this.names = names;
    }

    double sign() {
        return sign;
    }

    long calls() {
        return calls;
    }

    long rowEvaluations() {
        return rows;
    }

    /** f in the forward variable: sign·f(sign·s, y). */
    List<Tensor> eval(double s, List<Tensor> y) {
        calls++;
        rows += y.get(0).dim(0);
        List<Tensor> k = f.apply(sign * s, y);
        checkShapes(k, y);
        if (sign > 0) {
            return k;
        }
        List<Tensor> out = new ArrayList<>(k.size());
        for (Tensor t : k) {
            out.add(Ops.neg(t));
        }
        return out;
    }

    /**
     * f for some of the batch's samples at their own times (per-sample control): row i of y is sample
     * samples[i], at forward time s[i]. One call of the dynamics.
     */
    List<Tensor> evalRows(double[] s, int[] samples, List<Tensor> y) {
        calls++;
        rows += y.get(0).dim(0);
        double[] t = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = sign * s[i];
        }
        List<Tensor> k = f.applySamples(samples, t, y);
        checkShapes(k, y);
        if (sign > 0) {
            return k;
        }
        List<Tensor> out = new ArrayList<>(k.size());
        for (Tensor x : k) {
            out.add(Ops.neg(x));
        }
        return out;
    }

    /** f must return one tensor per state component, each of the component's shape. */
    private void checkShapes(List<Tensor> k, List<Tensor> y) {
        if (k.size() != y.size()) {
            throw new org.neuralode4j.ode.ConfigException("dynamics returned " + k.size() + " components for a state of " + y.size());
        }
        for (int c = 0; c < k.size(); c++) {
            if (!k.get(c).shape().equals(y.get(c).shape())) {
                throw new org.neuralode4j.ode.ConfigException("dynamics returned shape " + k.get(c).shape() + " for component "
                        + names.get(c) + " of shape " + y.get(c).shape());
            }
        }
    }

    /** The first non-finite entry of a state tuple, or null: {sample, component, element}. */
    static int[] firstNonFinite(List<Tensor> y) {
        int[] best = null;
        for (int c = 0; c < y.size(); c++) {
            Tensor t = y.get(c);
            int n = t.size();
            int per = t.dim(0) == 0 ? 1 : n / t.dim(0);
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(t.getFlat(j))) {
                    int b = j / per;
                    if (best == null || b < best[0]) {
                        best = new int[] {b, c, j % per};
                    }
                    break;
                }
            }
        }
        return best;
    }

    /** The rows (first dimension) holding a NaN/Inf in any component, ascending; empty when all are finite. */
    static int[] nonFiniteRows(List<Tensor> y) {
        int n = y.get(0).dim(0);
        boolean[] bad = new boolean[n];
        for (Tensor t : y) {
            int per = n == 0 ? 1 : t.size() / n;
            for (int j = 0; j < t.size(); j++) {
                if (!Double.isFinite(t.getFlat(j))) {
                    bad[j / per] = true;
                }
            }
        }
        return java.util.stream.IntStream.range(0, n).filter(b -> bad[b]).toArray();
    }

    /** One-line NON_FINITE error (solvers.md §5). */
    SolveException nonFinite(String where, SolveException.Phase phase, double s, int attempt, int stage, double h,
                             double lastH, double lastRatio, List<Tensor> values, int[] at) {
        return nonFinite(where, phase, s, attempt, stage, h, lastH, lastRatio, values, at, null);
    }

    /** As above, where row i of {@code values} is sample rowMap[i] of the batch (per-sample solves). */
    SolveException nonFinite(String where, SolveException.Phase phase, double s, int attempt, int stage, double h,
                             double lastH, double lastRatio, List<Tensor> values, int[] at, int[] rowMap) {
        double t = sign * s;
        int sample = rowMap == null ? at[0] : rowMap[at[0]];
        double v = values.get(at[1]).getFlat(at[0] * (values.get(at[1]).size() / values.get(at[1]).dim(0)) + at[2]);
        String msg = "NON_FINITE in " + where + " during " + phase + " solve at t=" + fmt(t) + " (attempt " + attempt
                + (stage > 0 ? ", stage " + stage : "") + ", h=" + fmt(h) + "): sample " + sample + ", component "
                + names.get(at[1]) + "[" + at[2] + "] = " + v
                + (Double.isNaN(lastH) ? "" : "; last accepted h=" + fmt(lastH) + ", last ratio " + fmt(lastRatio))
                + ". Lower the learning rate, tighten the tolerances, or check the dynamics for overflow.";
        return new SolveException(SolveException.Kind.NON_FINITE, phase, t, attempt, sample, msg);
    }

    String name(int c) {
        return names.get(c);
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
