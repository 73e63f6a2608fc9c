package org.neuralode4j.analysis;

import java.util.List;
import java.util.function.Function;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * Shared pieces of the adversarial attacks and margin searches of evaluation.md §2–§3: prediction from logits
 * (§0), clean accuracy, the attack loss and its input gradient (§2.1), and the optional input box (§2.3).
 *
 * <p>A model is a {@code Function<Tensor, Tensor>} from inputs [B, D] to logits: [B, 1] (or [B]) for a binary
 * model with one logit g, [B, K] with K ≥ 2 otherwise. It must be built from recorded ops, so that the input
 * gradient can be taken through it (for a neural ODE: through the head, the solve and the encoder). Parameters
 * are not touched: only the input is a differentiation target.
 */
public final class Attacks {
    private Attacks() {}

    /**
     * A closed input box [lo, hi] applied to every coordinate (§2.3: [0, 1] for images, none for 2-D data).
     * Attacks take a nullable box; null means no clipping.
     */
    public record Box(double lo, double hi) {
        public Box {
            if (!(lo <= hi)) {
                throw new IllegalArgumentException("Box: need lo <= hi, got [" + lo + ", " + hi + "]");
            }
        }

        /** v clamped to [lo, hi]. */
        public double clip(double v) {
            return Math.min(hi, Math.max(lo, v));
        }
    }

    /**
     * Predicted classes (§0): for one logit g, class 1 iff g > 0; otherwise argmax with ties going to the lowest
     * index, which for a binary model is the same rule applied to ℓ = (0, g).
     */
    public static int[] predict(Tensor logits) {
        if (isBinary(logits)) {
            int[] out = new int[logits.dim(0)];
            for (int b = 0; b < out.length; b++) {
                out[b] = logits.getFlat(b) > 0.0 ? 1 : 0;
            }
            return out;
        }
        // Primitives.maxAlong keeps the first maximum, which is the lowest-index tie rule.
        return Ops.argmax(logits, 1);
    }

    /** The fraction of rows of x the model classifies as labelled; evaluated without recording. */
    public static double accuracy(Function<Tensor, Tensor> model, Tensor x, int[] labels) {
        return fraction(correct(model, x, labels));
    }

    /** Per row, whether the model's prediction equals the label; evaluated without recording. */
    public static boolean[] correct(Function<Tensor, Tensor> model, Tensor x, int[] labels) {
        int[] pred = predictNoGrad(model, x);
        checkLabels(pred.length, labels);
        boolean[] ok = new boolean[pred.length];
        for (int b = 0; b < ok.length; b++) {
            ok[b] = pred[b] == labels[b];
        }
        return ok;
    }

    /**
     * ∇ₓL for the default loss (cross-entropy; binary: BCE with logits), summed over the batch; see
     * {@link #lossGradient(Function, Tensor, int[], AttackLoss)}.
     */
    public static Tensor lossGradient(Function<Tensor, Tensor> model, Tensor x, int[] labels) {
        return lossGradient(model, x, labels, AttackLoss.CROSS_ENTROPY);
    }

    /**
     * ∇ₓL for the loss summed over the batch (§2.1), shaped like x. The sum rather than the mean keeps each row's
     * gradient independent of the batch size; the attacks only use its sign or direction, so the two agree there.
     * Rows the model does not depend on get zeros.
     */
    public static Tensor lossGradient(Function<Tensor, Tensor> model, Tensor x, int[] labels, AttackLoss loss) {
        return lossGradient(model, x, labels, loss, null);
    }

    // ---------------------------------------------------------------- package helpers

    /**
     * As {@link #lossGradient(Function, Tensor, int[], AttackLoss)}, also writing the predictions at x into
     * {@code predOut} when it is not null: PGD's any-iterate check then reuses the gradient's forward pass.
     */
    static Tensor lossGradient(Function<Tensor, Tensor> model, Tensor x, int[] labels, AttackLoss loss, int[] predOut) {
        Tensor leaf = x.detach().requiringGrad();
        // Callers may sit inside a no-grad scope (evaluation); the input gradient needs the graph regardless.
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor logits = model.apply(leaf);
            checkLabels(logits.dim(0), labels);
            if (predOut != null) {
                System.arraycopy(predict(logits), 0, predOut, 0, labels.length);
            }
            Tensor l = loss == AttackLoss.MARGIN ? marginLossSum(logits, labels) : crossEntropySum(logits, labels);
            return Autograd.grad(List.of(l), List.of(leaf), null, false, true).get(0);
        }
    }

    static int[] predictNoGrad(Function<Tensor, Tensor> model, Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return predict(model.apply(x.detach()));
        }
    }

    static double fraction(boolean[] ok) {
        int n = 0;
        for (boolean b : ok) {
            if (b) {
                n++;
            }
        }
        return ok.length == 0 ? Double.NaN : (double) n / ok.length;
    }

    static void checkLabels(int batch, int[] labels) {
        if (labels.length != batch) {
            throw new IllegalArgumentException(labels.length + " labels for a batch of " + batch);
        }
    }

    /** sign(v) with sign(0) = 0 (§2.2), so coordinates the loss does not depend on are left alone. */
    static double sign(double v) {
        return v > 0.0 ? 1.0 : v < 0.0 ? -1.0 : 0.0;
    }

    // ---------------------------------------------------------------- losses

    private static boolean isBinary(Tensor logits) {
        if (logits.rank() == 1) {
            return true;
        }
        if (logits.rank() != 2) {
            throw ShapeException.of("Attacks", "expected logits [B], [B, 1] or [B, K]", logits.shape());
        }
        return logits.dim(1) == 1;
    }

    /**
     * Σ_b CE(ℓ_b, y_b); binary: Σ_b softplus(g_b) − g_b·y_b, the form BceWithLogits uses (its gradient is
     * σ(g) − y everywhere).
     */
    private static Tensor crossEntropySum(Tensor logits, int[] labels) {
        if (isBinary(logits)) {
            return Ops.sum(Ops.sub(Ops.softplus(logits), Ops.mul(logits, binaryTargets(logits, labels, 0.0, 1.0))));
        }
        checkClasses(logits, labels);
        return Ops.sum(Ops.sub(Ops.logSumExp(logits, 1), Ops.takeAlong(logits, 1, labels)));
    }

    /** Σ_b max_{c≠y} ℓ_c − ℓ_y; binary: Σ_b −s_b·g_b with s = 2y − 1. */
    private static Tensor marginLossSum(Tensor logits, int[] labels) {
        if (isBinary(logits)) {
            return Ops.sum(Ops.mul(logits, binaryTargets(logits, labels, 1.0, -1.0)));
        }
        checkClasses(logits, labels);
        int bs = logits.dim(0);
        int k = logits.dim(1);
        // −∞ on the true class removes it from the max; the mask is a constant, so the gradient is unaffected.
        double[] mask = new double[bs * k];
        for (int b = 0; b < bs; b++) {
            mask[b * k + labels[b]] = Double.NEGATIVE_INFINITY;
        }
        Tensor others = Ops.max(Ops.add(logits, Tensor.of(mask, bs, k)), 1);
        return Ops.sum(Ops.sub(others, Ops.takeAlong(logits, 1, labels)));
    }

    /** A constant shaped like the binary logits: {@code zero} where y = 0, {@code one} where y = 1. */
    private static Tensor binaryTargets(Tensor logits, int[] labels, double zero, double one) {
        double[] t = new double[labels.length];
        for (int b = 0; b < t.length; b++) {
            if (labels[b] != 0 && labels[b] != 1) {
                throw new IllegalArgumentException("binary label " + b + " is " + labels[b] + ", expected 0 or 1");
            }
            t[b] = labels[b] == 1 ? one : zero;
        }
        return Tensor.of(t, logits.shape().dims());
    }

    private static void checkClasses(Tensor logits, int[] labels) {
        int k = logits.dim(1);
        for (int b = 0; b < labels.length; b++) {
            if (labels[b] < 0 || labels[b] >= k) {
                throw new IllegalArgumentException("label " + b + " is " + labels[b] + ", expected a class in [0, " + k + ")");
            }
        }
    }
}
