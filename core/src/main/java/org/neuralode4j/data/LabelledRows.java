package org.neuralode4j.data;

/**
 * A labelled set that hands out rows on demand: training and evaluation read mini-batches through
 * {@link #rows(int[])}, so a set may keep its examples in a compact form (an image set keeps bytes) and build
 * each batch's feature tensor only when it is asked for, never the whole set per epoch.
 */
public interface LabelledRows {
    /** Number of examples. */
    int size();

    /** Features per example (the width of {@link #rows}' tensor). */
    int features();

    /** Label of example i. */
    int label(int i);

    /** The examples at the given indices, in that order, as features [k, features()] and labels. */
    LabelledSet rows(int[] idx);

    /** The examples [from, to) in order. */
    default LabelledSet range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return rows(idx);
    }
}
