package org.neuralode4j.analysis;

import java.util.function.Function;
import org.neuralode4j.tensor.Tensor;

/**
 * The fast gradient sign method (Goodfellow, Shlens and Szegedy, "Explaining and harnessing adversarial
 * examples", ICLR 2015): one L∞ step u' = clip_box(u + ε·sign(∇ᵤL(u, y))), with sign(0) = 0 (evaluation.md §2.2),
 * and robust accuracy over a list of ε (§2.4).
 */
public final class Fgsm {
    private Fgsm() {}

    /** The FGSM point for the default loss (cross-entropy; binary: BCE with logits). */
    public static Tensor attack(Function<Tensor, Tensor> model, Tensor x, int[] labels, double eps, Attacks.Box box) {
        return attack(model, x, labels, eps, box, AttackLoss.CROSS_ENTROPY);
    }

    /**
     * x + ε·sign(∇ₓL), clipped to {@code box} when it is not null.
     *
     * @param x      inputs [B, D]
     * @param labels B true classes
     * @param eps    the L∞ radius, ≥ 0
     */
    public static Tensor attack(Function<Tensor, Tensor> model, Tensor x, int[] labels, double eps, Attacks.Box box,
                                AttackLoss loss) {
        checkEps(eps);
        double[] g = Attacks.lossGradient(model, x, labels, loss).toArray();
        double[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += eps * Attacks.sign(g[i]);
            if (box != null) {
                v[i] = box.clip(v[i]);
            }
        }
        return Tensor.of(v, x.shape().dims());
    }

    /** Robust accuracy at each ε under the default loss. */
    public static double[] accuracy(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] epsList,
                                    Attacks.Box box) {
        return accuracy(model, x, labels, epsList, box, AttackLoss.CROSS_ENTROPY);
    }

    /**
     * Robust accuracy at each ε (§2.4): the fraction of rows classified correctly both clean and at the FGSM
     * point, so clean mistakes count as failures.
     *
     * @throws IllegalStateException if the ε = 0 accuracy differs from clean accuracy, which §2.4 requires to be
     *                               exact (it fails when x lies outside the box, or the model is not deterministic)
     */
    public static double[] accuracy(Function<Tensor, Tensor> model, Tensor x, int[] labels, double[] epsList,
                                    Attacks.Box box, AttackLoss loss) {
        boolean[] clean = Attacks.correct(model, x, labels);
        // One gradient serves every ε: the FGSM direction does not depend on the radius.
        double[] g = Attacks.lossGradient(model, x, labels, loss).toArray();
        double[] u = x.toArray();
        double[] out = new double[epsList.length];
        for (int e = 0; e < epsList.length; e++) {
            double eps = epsList[e];
            checkEps(eps);
            double[] v = new double[u.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = u[i] + eps * Attacks.sign(g[i]);
                if (box != null) {
                    v[i] = box.clip(v[i]);
                }
            }
            boolean[] ok = Attacks.correct(model, Tensor.of(v, x.shape().dims()), labels);
            for (int b = 0; b < ok.length; b++) {
                ok[b] &= clean[b];
            }
            out[e] = Attacks.fraction(ok);
            if (eps == 0.0 && out[e] != Attacks.fraction(clean)) {
                throw new IllegalStateException("FGSM at eps = 0 gives accuracy " + out[e] + ", clean accuracy is "
                        + Attacks.fraction(clean));
            }
        }
        return out;
    }

    static void checkEps(double eps) {
        if (!(eps >= 0.0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
        }
    }
}
