package org.neuralode4j.cli.run;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.LabelledSet;

/**
 * The classes of a classifier: the sorted distinct label values of its training data, class {@code k} standing for
 * {@code values[k]} (datasets.md §5: labels are read as written, e.g. −1/1 or 20240101, and mapped here). Saved with
 * the model, so that eval and analyze map their data the same way and predict prints the labels as written.
 *
 * <p>Why a cap: a label column that in fact holds IDs or dates has one distinct value per row, and a head with that
 * many outputs exhausts the heap long before training says anything useful.
 *
 * @param values the label values, strictly increasing
 */
public record ClassLabels(int[] values) {
    /** Most classes a model may have. */
    public static final int MAX_CLASSES = 1000;

    public ClassLabels {
        values = values.clone();
        for (int i = 1; i < values.length; i++) {
            if (values[i] <= values[i - 1]) {
                throw new IllegalArgumentException("class labels must be strictly increasing: " + Arrays.toString(values));
            }
        }
    }

    /** The identity 0..classes−1 (built-in sets, and model files older than the label list). */
    public static ClassLabels identity(int classes) {
        int[] v = new int[classes];
        Arrays.setAll(v, i -> i);
        return new ClassLabels(v);
    }

    /**
     * The distinct labels of all the given sets (training and test split together, so that a rare class that lands
     * only in the test split is still a class), refused beyond {@link #MAX_CLASSES}.
     *
     * @param where the data source and label column for the message, e.g. {@code --csv data.csv, column "label"}
     */
    public static ClassLabels of(String where, LabelledSet... sets) {
        TreeSet<Integer> distinct = new TreeSet<>();
        for (LabelledSet s : sets) {
            for (int l : s.labels()) {
                distinct.add(l);
            }
        }
        if (distinct.size() > MAX_CLASSES) {
            throw new NeuralOdeException(where + " holds " + distinct.size() + " distinct labels, more than the "
                    + MAX_CLASSES + " classes supported (is it an ID or date column? name the class column with --label)");
        }
        return new ClassLabels(distinct.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return values.length;
    }

    /** The label value of class {@code k}. */
    public int value(int k) {
        return values[k];
    }

    /**
     * The set with its labels replaced by class indices; a label the classes do not hold is one line naming it and
     * the known labels (never silently counted as wrong).
     *
     * @param where the data source for the message
     */
    public LabelledSet encode(LabelledSet set, String where) {
        int[] classes = new int[set.size()];
        for (int i = 0; i < classes.length; i++) {
            int k = Arrays.binarySearch(values, set.labels()[i]);
            if (k < 0) {
                throw new NeuralOdeException(where + ": label " + set.labels()[i] + " is not one the model knows (its"
                        + " labels: " + describe() + "); evaluate on data with the training labels");
            }
            classes[i] = k;
        }
        return new LabelledSet(set.x(), classes);
    }

    /** The values as a list, for model.json. */
    public List<Integer> asList() {
        return Arrays.stream(values).boxed().collect(Collectors.toList());
    }

    /** "0, 1, 2", shortened past 20 values. */
    public String describe() {
        String head = Arrays.stream(values).limit(20).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return values.length > 20 ? head + ", … (" + values.length + " in all)" : head;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassLabels c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ClassLabels[" + describe() + "]";
    }
}
