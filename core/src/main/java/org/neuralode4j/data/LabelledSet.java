package org.neuralode4j.data;

import org.neuralode4j.tensor.Tensor;

/**
 * Labelled points: features [N, D] and an integer label per row.
 *
 * @param x      features [N, D]
 * @param labels one label per row
 */
public record LabelledSet(Tensor x, int[] labels) implements LabelledRows {
    public LabelledSet {
        if (x.rank() != 2 || x.dim(0) != labels.length) {
            throw new DataException("labelled set: " + labels.length + " labels for features of shape " + x.shape());
        }
        labels = labels.clone();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int features() {
        return x.dim(1);
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    /** The rows at the given indices. */
    @Override
    public LabelledSet rows(int[] idx) {
        int[] l = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            l[i] = labels[idx[i]];
        }
        return new LabelledSet(org.neuralode4j.tensor.Primitives.indexSelect(x, idx), l);
    }

    /** Labels as a [N, 1] tensor of 0.0/1.0 targets (binary tasks). */
    public Tensor binaryTargets() {
        double[] t = new double[labels.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = labels[i];
        }
        return Tensor.of(t, t.length, 1);
    }
}
