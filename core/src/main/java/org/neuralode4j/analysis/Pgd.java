package org.neuralode4j.analysis;

import java.util.Arrays;
import java.util.function.Function;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Projected gradient descent under an L∞ budget (Madry, Makelov, Schmidt, Tsipras and Vladu, "Towards deep
 * learning models resistant to adversarial attacks", ICLR 2018), as specified in evaluation.md §2.3:
 * <pre>
 *   x ← randomStart ? u + U(−ε, ε)^p : u ;  x ← clip_box(x)
 *   repeat S times:  x ← clip_box( clamp(x + α·sign(∇ₓL(x, y)), u − ε, u + ε) )
 * </pre>
 * The elementwise clamp is the L∞ projection; clipping to the box afterwards stays inside both sets because u
 * lies in the box. A sample counts as broken if any iterate of any restart is misclassified (the any-iterate
 * rule), which makes the attack monotone in S and never weaker than a final-iterate attack.
 *
 * <p>Random starts are drawn from the caller's {@link Rng} in row-major order, so equal seeds give bitwise-equal
 * results.
 */
public final class Pgd {
    private Pgd() {}

    /**
     * PGD settings (§2.3).
     *
     * @param steps       S, ≥ 1
     * @param stepRatio   α = stepRatio·ε/S, relative so that one setting serves a whole ε list
     * @param randomStart start from a uniform point of the ε-ball
     * @param restarts    independent runs, ≥ 1
     * @param finalOnly   judge only each run's last iterate (option {@code --pgd-final-only})
     * @param loss        the loss ascended
     */
    public record Settings(int steps, double stepRatio, boolean randomStart, int restarts, boolean finalOnly,
                           AttackLoss loss) {
        /** The §6 defaults: S = 20, α = 2.5·ε/S, random start, 1 restart, any-iterate rule, cross-entropy. */
        public static final Settings DEFAULT = new Settings(20, 2.5, true, 1, false, AttackLoss.CROSS_ENTROPY);

        public Settings {
            if (steps < 1 || restarts < 1 || !(stepRatio > 0.0) || loss == null) {
                throw new IllegalArgumentException("Pgd.Settings: need steps >= 1, restarts >= 1, stepRatio > 0 and a"
                        + " loss, got " + steps + ", " + restarts + ", " + stepRatio + ", " + loss);
            }
        }

        /** A copy with another step count (the margin search uses S = 50). */
        public Settings withSteps(int s) {
            return new Settings(s, stepRatio, randomStart, restarts, finalOnly, loss);
        }

        /** A copy with another loss (the margin search uses {@link AttackLoss#MARGIN}). */
        public Settings withLoss(AttackLoss l) {
            return new Settings(steps, stepRatio, randomStart, restarts, finalOnly, l);
        }
    }

    /** One PGD run under the default loss; returns the last iterate. */
    public static Tensor attack(Function<Tensor, Tensor> model, Tensor x, int[] labels, double eps, int steps,
                                double stepSize, boolean randomStart, Rng rng, Attacks.Box box) {
        return attack(model, x, labels, eps, steps, stepSize, randomStart, rng, box, AttackLoss.CROSS_ENTROPY);
    }

    /**
     * One PGD run with an absolute step size α; returns the last iterate, which lies within ε of x in L∞ and
     * inside the box.
     *
     * @param rng used only when {@code randomStart}; may then not be null
     */
    public static Tensor attack(Function<Tensor, Tensor> model, Tensor x, int[] labels, double eps, int steps,
                                double stepSize, boolean randomStart, Rng rng, Attacks.Box box, AttackLoss loss) {
        Fgsm.checkEps(eps);
        if (steps < 0 || !(stepSize >= 0.0)) {
            throw new IllegalArgumentException("Pgd.attack: need steps >= 0 and stepSize >= 0, got " + steps + ", "
                    + stepSize);
        }
        int n = x.dim(0);
        return run(model, x, labels, fill(n, eps), fill(n, stepSize), steps, randomStart, loss, rng, box, null);
    }

    /**
     * Whether PGD breaks each row, with a per-row radius (one batched call serves the margin bisection, §3.3).
     * Rows misclassified clean count as broken.
     *
     * @param eps one radius per row
     */
    public static boolean[] broken(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] eps,
                                   Settings settings, Rng rng, Attacks.Box box) {
        int n = x.dim(0);
        Attacks.checkLabels(n, labels);
        if (eps.length != n) {
            throw new IllegalArgumentException(eps.length + " radii for a batch of " + n);
        }
        double[] alpha = new double[n];
        for (int b = 0; b < n; b++) {
            Fgsm.checkEps(eps[b]);
            alpha[b] = settings.stepRatio() * eps[b] / settings.steps();
        }
        boolean[] out = new boolean[n];
        boolean[] clean = Attacks.correct(model, x, labels);
        for (int b = 0; b < n; b++) {
            out[b] = !clean[b];
        }
        for (int r = 0; r < settings.restarts(); r++) {
            Tensor last = run(model, x, labels, eps, alpha, settings.steps(), settings.randomStart(), settings.loss(),
                    rng, box, settings.finalOnly() ? null : out);
            boolean[] ok = Attacks.correct(model, last, labels);
            for (int b = 0; b < n; b++) {
                out[b] |= !ok[b];
            }
        }
        return out;
    }

    /** Robust accuracy at each ε with the default settings. */
    public static double[] accuracy(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] epsList,
                                    Rng rng, Attacks.Box box) {
        return accuracy(model, x, labels, epsList, Settings.DEFAULT, rng, box);
    }

    /**
     * Robust accuracy at each ε (§2.4): the fraction of rows not broken.
     *
     * @throws IllegalStateException if the ε = 0 accuracy differs from clean accuracy, which §2.4 requires to be exact
     */
    public static double[] accuracy(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] epsList,
                                    Settings settings, Rng rng, Attacks.Box box) {
        int n = x.dim(0);
        double[] out = new double[epsList.length];
        for (int e = 0; e < epsList.length; e++) {
            boolean[] broken = broken(model, x, labels, fill(n, epsList[e]), settings, rng, box);
            for (int b = 0; b < n; b++) {
                broken[b] = !broken[b];
            }
            out[e] = Attacks.fraction(broken);
            if (epsList[e] == 0.0) {
                double clean = Attacks.accuracy(model, x, labels);
                if (out[e] != clean) {
                    throw new IllegalStateException("PGD at eps = 0 gives accuracy " + out[e] + ", clean accuracy is " + clean);
                }
            }
        }
        return out;
    }

    /**
     * One run with per-row radius and step; returns the last iterate. When {@code broken} is not null, rows
     * misclassified at any iterate before the last are marked in it (the last is judged by the caller).
     */
    private static Tensor run(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] eps, double[] alpha,
                              int steps, boolean randomStart, AttackLoss loss, Rng rng, Attacks.Box box,
                              boolean[] broken) {
        int n = x.dim(0);
        int[] dims = x.shape().dims();
        int row = n == 0 ? 0 : x.size() / n;
        double[] u = x.toArray();
        double[] v = u.clone();
        if (randomStart) {
            for (int i = 0; i < v.length; i++) {
                double e = eps[i / row];
                v[i] += e * (2.0 * rng.nextDouble() - 1.0);
            }
        }
        clip(v, box);
        int[] pred = new int[n];
        for (int s = 0; s < steps; s++) {
            double[] g = Attacks.lossGradient(model, Tensor.of(v, dims), labels, loss, pred).toArray();
            if (broken != null) {
                for (int b = 0; b < n; b++) {
                    broken[b] |= pred[b] != labels[b];
                }
            }
            for (int i = 0; i < v.length; i++) {
                int b = i / row;
                double stepped = v[i] + alpha[b] * Attacks.sign(g[i]);
                v[i] = Math.min(u[i] + eps[b], Math.max(u[i] - eps[b], stepped));
            }
            clip(v, box);
        }
        return Tensor.of(v, dims);
    }

    private static void clip(double[] v, Attacks.Box box) {
        if (box != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = box.clip(v[i]);
            }
        }
    }

    private static double[] fill(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }
}
