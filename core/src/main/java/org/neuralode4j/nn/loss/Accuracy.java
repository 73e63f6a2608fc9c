package org.neuralode4j.nn.loss;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/** Classification accuracy (fraction correct, in [0, 1]) from logits; values only, nothing recorded. */
public final class Accuracy {
    private Accuracy() {}

    /**
     * Binary: the prediction is logit &gt; 0 (probability &gt; 1/2), the truth target &gt; 1/2.
     *
     * @param logits  [B] or [B, 1]
     * @param targets the same shape
     */
    public static double binary(Tensor logits, Tensor targets) {
        if (!logits.shape().equals(targets.shape()) || logits.size() == 0) {
            throw ShapeException.of("Accuracy.binary", "expected non-empty logits and targets of equal shape",
                    logits.shape(), targets.shape());
        }
        int correct = 0;
        for (int i = 0; i < logits.size(); i++) {
            if ((logits.getFlat(i) > 0) == (targets.getFlat(i) > 0.5)) {
                correct++;
            }
        }
        return (double) correct / logits.size();
    }

    /**
     * Multiclass: the prediction is the arg-max logit (the first on ties).
     *
     * @param logits [B, K]
     * @param labels B class indices in [0, K)
     */
    public static double multiclass(Tensor logits, int[] labels) {
        CrossEntropy.checkLabels("Accuracy.multiclass", logits, labels);
        if (labels.length == 0) {
            throw ShapeException.of("Accuracy.multiclass", "empty batch", logits.shape());
        }
        int[] predicted = Ops.argmax(logits, 1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }
}
