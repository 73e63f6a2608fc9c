package org.neuralode4j.train;

import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledRows;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;

/**
 * Accuracy and test NFE of a classifier on a set evaluated in fixed-size batches in file order, without gradients
 * and with the training solver (evaluation.md §0 and §1.6; W3 evaluates its test set in batches of 1000). A batch
 * shares one step-size sequence, so the batch size is part of the result.
 *
 * @param accuracy    fraction of correct predictions
 * @param nfeMean     mean forward NFE per batch
 * @param nfeMax      largest forward NFE of a batch
 * @param batch       the batch size used (the last batch may be smaller)
 * @param predictions predicted class per example, in order
 * @param labels      the examples' labels, in order
 */
public record BatchedEvaluation(double accuracy, double nfeMean, long nfeMax, int batch, int[] predictions, int[] labels) {
    /** Evaluates {@code set} in batches of {@code batch} examples. */
    public static BatchedEvaluation run(NodeClassifier model, LabelledRows set, SolverConfig solver, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("evaluation batch must be >= 1, got " + batch);
        }
        int n = set.size();
        int[] pred = new int[n];
        int[] labels = new int[n];
        long correct = 0;
        long nfeSum = 0;
        long nfeMax = 0;
        int batches = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                LabelledSet b = set.range(from, to);
                Solution s = model.flow(b.x(), solver, new Direct());
                int[] p = model.predict(model.logits(s));
                for (int i = 0; i < p.length; i++) {
                    pred[from + i] = p[i];
                    labels[from + i] = b.labels()[i];
                    if (p[i] == labels[from + i]) {
                        correct++;
                    }
                }
                nfeSum += s.stats().nfe();
                nfeMax = Math.max(nfeMax, s.stats().nfe());
                batches++;
            }
        }
        return new BatchedEvaluation(correct / (double) n, nfeSum / (double) batches, nfeMax, batch, pred, labels);
    }

    /** counts[true][predicted] over the evaluated examples (evaluation.md §4.1). */
    public long[][] confusion(int classes) {
        long[][] m = new long[classes][classes];
        for (int i = 0; i < predictions.length; i++) {
            m[labels[i]][predictions[i]]++;
        }
        return m;
    }
}
