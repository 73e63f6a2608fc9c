package org.neuralode4j.nn.loss;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * Multiclass cross-entropy on logits, −log softmax(x)_y averaged over the batch, computed as
 * logsumexp(x) − x_y so that large logits neither overflow nor lose the correct class's probability.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /**
     * @param logits [B, K]
     * @param labels B class indices in [0, K)
     * @return the scalar mean loss, differentiable to any order in the logits
     */
    public static Tensor mean(Tensor logits, int[] labels) {
        checkLabels("CrossEntropy.mean", logits, labels);
        Tensor picked = Ops.takeAlong(logits, 1, labels);
        return Ops.mean(Ops.sub(Ops.logSumExp(logits, 1), picked));
    }

    /** Checks logits [B, K] against B labels in [0, K); shared with {@link Accuracy}. */
    static void checkLabels(String op, Tensor logits, int[] labels) {
        if (logits.rank() != 2 || logits.dim(1) < 1) {
            throw ShapeException.of(op, "expected logits [B, K]", logits.shape());
        }
        if (labels.length != logits.dim(0)) {
            throw ShapeException.of(op, labels.length + " labels for a batch of " + logits.dim(0), logits.shape());
        }
        int k = logits.dim(1);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new NeuralOdeException(op + ": label " + i + " is " + labels[i] + ", expected a class in [0, " + k + ")");
            }
        }
    }
}
