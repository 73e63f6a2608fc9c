package org.neuralode4j.analysis;

import java.util.Arrays;
import java.util.function.Function;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Distance to the decision boundary, m(u) = inf{‖v‖ : pred(u + v) ≠ pred(u)} (evaluation.md §3), by two
 * searches that only evaluate predictions (plus PGD's gradients):
 * <ul>
 *   <li>{@link #directional2d}: L2, for 2-D inputs, marching along equally spaced directions and bisecting (§3.2);
 *   <li>{@link #pgdBisection}: L∞, any dimension, the smallest ε at which PGD (Madry et al. 2018) succeeds (§3.3).
 * </ul>
 * The two norms are not comparable, and callers must name the norm when reporting.
 *
 * <p>The first-order estimate |g(u)|/‖∇ᵤg(u)‖ is deliberately not offered (§3.4): it is exact only for affine g.
 * Where a neural ODE's logit saturates, |g| is large while ‖∇g‖ is tiny, so the ratio can exceed any possible
 * distance by orders of magnitude (g = 10·tanh(5u₁) at u = (1, 0): true margin 1, estimate ≈ 1.1·10³), and near
 * a curved boundary it can under-estimate; it is neither a bound nor a consistent estimator.
 *
 * <p>Points the model already misclassifies get margin 0: no perturbation is needed to change their class
 * away from the label. The spec computes margins only for correctly classified points, so callers select those.
 */
public final class Margin {
    private Margin() {}

    /** The §6 march step s for 2-D data. */
    public static final double DEFAULT_STEP = 0.05;
    /** §3.3 defaults for images in [0, 1] (evaluation.md §6): ε_max, bisections and PGD steps. */
    public static final double IMAGE_EPS_MAX = 0.5;
    public static final int IMAGE_BISECTIONS = 10;
    public static final int IMAGE_PGD_STEPS = 50;

    /**
     * The directional search with march step {@link #DEFAULT_STEP} and enough bisections to bring the bracket
     * below {@code tol}.
     */
    public static double[] directional2d(Function<Tensor, Tensor> model, Tensor x, int[] labels, int directions,
                                         double maxRadius, double tol) {
        if (!(tol > 0.0)) {
            throw new IllegalArgumentException("directional2d: tol must be > 0, got " + tol);
        }
        int bisections = Math.max(0, (int) Math.ceil(Math.log(DEFAULT_STEP / tol) / Math.log(2.0)));
        return directional2d(model, x, labels, directions, DEFAULT_STEP, maxRadius, bisections);
    }

    /**
     * The L2 directional search of §3.2. Along w_j = (cos 2πj/N, sin 2πj/N) it marches r = s, 2s, … while the
     * prediction is unchanged and r ≤ r_max, then bisects the last bracket {@code bisections} times keeping the
     * changed end; the margin is the minimum over directions, +∞ if no direction changes class within r_max.
     * All pending (point, direction) pairs of one march or bisection step go through the model in one batch.
     *
     * <p>The result is ≥ the true margin up to the bisection resolution s·2^{−n}, and for a locally straight
     * boundary ≤ m/cos(π/N) + s·2^{−n}; a boundary piece narrower than s along a ray can be missed.
     *
     * @param x [B, 2] points
     * @return per point the margin estimate, 0 for misclassified points, +∞ when censored at r_max
     */
    public static double[] directional2d(Function<Tensor, Tensor> model, Tensor x, int[] labels, int directions,
                                         double step, double maxRadius, int bisections) {
        if (x.rank() != 2 || x.dim(1) != 2) {
            throw new IllegalArgumentException("directional2d: expected points [B, 2], got " + x.shape());
        }
        if (directions < 1 || !(step > 0.0) || !(maxRadius >= step) || bisections < 0) {
            throw new IllegalArgumentException("directional2d: need directions >= 1, step > 0, maxRadius >= step and"
                    + " bisections >= 0, got " + directions + ", " + step + ", " + maxRadius + ", " + bisections);
        }
        int n = x.dim(0);
        int[] pred = Attacks.predictNoGrad(model, x);
        Attacks.checkLabels(n, labels);
        double[] cos = new double[directions];
        double[] sin = new double[directions];
        for (int j = 0; j < directions; j++) {
            double a = 2.0 * Math.PI * j / directions;
            cos[j] = Math.cos(a);
            sin[j] = Math.sin(a);
        }
        // Pair p = b·N + j. The march radius is computed as s·step, so it carries no accumulated rounding.
        int pairs = n * directions;
        boolean[] marching = new boolean[pairs];
        double[] lo = new double[pairs];
        double[] hi = new double[pairs];
        Arrays.fill(hi, Double.POSITIVE_INFINITY);
        for (int p = 0; p < pairs; p++) {
            marching[p] = pred[p / directions] == labels[p / directions];
        }
        long maxSteps = (long) Math.floor(maxRadius / step);
        for (long s = 1; s <= maxSteps; s++) {
            int[] active = select(marching);
            if (active.length == 0) {
                break;
            }
            double[] r = new double[active.length];
            Arrays.fill(r, s * step);
            boolean[] changed = changed(model, x, pred, active, r, cos, sin, directions);
            for (int a = 0; a < active.length; a++) {
                int p = active[a];
                if (changed[a]) {
                    marching[p] = false;
                    lo[p] = (s - 1) * step;
                    hi[p] = s * step;
                }
            }
        }
        boolean[] bracketed = new boolean[pairs];
        for (int p = 0; p < pairs; p++) {
            bracketed[p] = Double.isFinite(hi[p]);
        }
        int[] active = select(bracketed);
        for (int it = 0; it < bisections && active.length > 0; it++) {
            double[] mid = new double[active.length];
            for (int a = 0; a < active.length; a++) {
                mid[a] = 0.5 * (lo[active[a]] + hi[active[a]]);
            }
            boolean[] changed = changed(model, x, pred, active, mid, cos, sin, directions);
            for (int a = 0; a < active.length; a++) {
                if (changed[a]) {
                    hi[active[a]] = mid[a];
                } else {
                    lo[active[a]] = mid[a];
                }
            }
        }
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            if (pred[b] != labels[b]) {
                continue;
            }
            double m = Double.POSITIVE_INFINITY;
            for (int j = 0; j < directions; j++) {
                m = Math.min(m, hi[b * directions + j]);
            }
            out[b] = m;
        }
        return out;
    }

    /** §3.3 with its defaults: S = 50, α = 2.5ε/S, margin loss, random start, 1 restart. */
    public static double[] pgdBisection(Function<Tensor, Tensor> model, Tensor x, int[] labels, double epsMax,
                                        int steps, int bisections, Rng rng) {
        return pgdBisection(model, x, labels, epsMax, bisections,
                Pgd.Settings.DEFAULT.withSteps(steps).withLoss(AttackLoss.MARGIN), rng, null);
    }

    /**
     * The L∞ margin estimate of §3.3: per point, bisection over ε ∈ [0, ε_max] for the smallest radius at which
     * PGD succeeds, all points bisecting together in one batched call with a per-point ε. {@code hi} is always
     * a verified success, so the result is an upper bound on the true L∞ margin to within ε_max·2^{−n}
     * (a weak attack inflates it; monotone success in ε is assumed, not guaranteed).
     *
     * @return per point the estimate, 0 for misclassified points, +∞ when PGD fails at ε_max
     */
    public static double[] pgdBisection(Function<Tensor, Tensor> model, Tensor x, int[] labels, double epsMax,
                                        int bisections, Pgd.Settings settings, Rng rng, Attacks.Box box) {
        if (!(epsMax > 0.0) || Double.isInfinite(epsMax) || bisections < 0) {
            throw new IllegalArgumentException("pgdBisection: need finite epsMax > 0 and bisections >= 0, got "
                    + epsMax + ", " + bisections);
        }
        int n = x.dim(0);
        boolean[] clean = Attacks.correct(model, x, labels);
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(hi, epsMax);
        boolean[] atMax = Pgd.broken(model, x, labels, hi, settings, rng, box);
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            out[b] = !clean[b] ? 0.0 : atMax[b] ? epsMax : Double.POSITIVE_INFINITY;
        }
        // Only correctly classified points with a success at ε_max have a bracket to shrink.
        boolean[] open = new boolean[n];
        for (int b = 0; b < n; b++) {
            open[b] = clean[b] && atMax[b];
        }
        int[] rows = select(open);
        if (rows.length == 0) {
            return out;
        }
        Tensor sub = rowsOf(x, rows);
        int[] subLabels = new int[rows.length];
        for (int a = 0; a < rows.length; a++) {
            subLabels[a] = labels[rows[a]];
        }
        for (int it = 0; it < bisections; it++) {
            double[] mid = new double[rows.length];
            for (int a = 0; a < rows.length; a++) {
                mid[a] = 0.5 * (lo[rows[a]] + hi[rows[a]]);
            }
            boolean[] success = Pgd.broken(model, sub, subLabels, mid, settings, rng, box);
            for (int a = 0; a < rows.length; a++) {
                if (success[a]) {
                    hi[rows[a]] = mid[a];
                } else {
                    lo[rows[a]] = mid[a];
                }
            }
        }
        for (int row : rows) {
            out[row] = hi[row];
        }
        return out;
    }

    /** Whether pred(u_b + r·w_j) differs from pred(u_b) for each listed pair p = b·N + j, in one batch. */
    private static boolean[] changed(Function<Tensor, Tensor> model, Tensor x, int[] pred, int[] pairs, double[] r,
                                     double[] cos, double[] sin, int directions) {
        double[] pts = new double[2 * pairs.length];
        for (int a = 0; a < pairs.length; a++) {
            int b = pairs[a] / directions;
            int j = pairs[a] % directions;
            pts[2 * a] = x.get(b, 0) + r[a] * cos[j];
            pts[2 * a + 1] = x.get(b, 1) + r[a] * sin[j];
        }
        int[] p = Attacks.predictNoGrad(model, Tensor.of(pts, pairs.length, 2));
        boolean[] out = new boolean[pairs.length];
        for (int a = 0; a < pairs.length; a++) {
            out[a] = p[a] != pred[pairs[a] / directions];
        }
        return out;
    }

    private static int[] select(boolean[] mask) {
        int c = 0;
        for (boolean m : mask) {
            if (m) {
                c++;
            }
        }
        int[] idx = new int[c];
        c = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                idx[c++] = i;
            }
        }
        return idx;
    }

    private static Tensor rowsOf(Tensor x, int[] rows) {
        int row = x.size() / x.dim(0);
        double[] v = new double[rows.length * row];
        for (int a = 0; a < rows.length; a++) {
            x.copyTo(rows[a] * row, v, a * row, row);
        }
        int[] dims = x.shape().dims();
        dims[0] = rows.length;
        return Tensor.of(v, dims);
    }
}
