package org.neuralode4j.nn.loss;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * Binary cross-entropy on logits, the loss of binary classifiers:
 * <pre>  ℓ(x, y) = −y·log sig(x) − (1 − y)·log(1 − sig(x)) = max(x, 0) − x·y + log(1 + e^{−|x|})</pre>
 * averaged over the batch.
 *
 * <p>It is evaluated as softplus(x) − x·y, the same function since max(x, 0) + log(1 + e^{−|x|}) is the stable
 * form of softplus(x) = ln(1 + eˣ) the op uses. Written through softplus, the gradient is sig(x) − y everywhere
 * (built from max and |x| it would be −y at x = 0, their kinks not cancelling under the subgradient
 * convention of relu and abs), and the second derivative sig′(x) exists for Jacobian penalties.
 */
public final class BceWithLogits {
    private BceWithLogits() {}

    /**
     * @param logits  [B] or [B, 1]
     * @param targets the same shape, each in [0, 1] (usually 0 or 1; soft labels are allowed)
     * @return the scalar mean loss, differentiable to any order in the logits
     */
    public static Tensor mean(Tensor logits, Tensor targets) {
        if (!logits.shape().equals(targets.shape()) || logits.rank() < 1 || logits.rank() > 2
                || (logits.rank() == 2 && logits.dim(1) != 1)) {
            throw ShapeException.of("BceWithLogits.mean", "expected logits and targets of equal shape [B] or [B, 1]",
                    logits.shape(), targets.shape());
        }
        for (int i = 0; i < targets.size(); i++) {
            double y = targets.getFlat(i);
            if (!(y >= 0.0 && y <= 1.0)) {
                throw new NeuralOdeException("BceWithLogits.mean: target " + i + " is " + y + ", expected a value in [0, 1]");
            }
        }
        return Ops.mean(Ops.sub(Ops.softplus(logits), Ops.mul(logits, targets)));
    }
}
