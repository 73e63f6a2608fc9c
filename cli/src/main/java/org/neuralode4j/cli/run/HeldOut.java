package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.nio.file.Path;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.data.LabelledSet;

/**
 * The data eval and analyze score a saved model on: the test split made the way training made it (the model's seed
 * and test fraction, so no training row is scored), features taken by the model's column names, and labels mapped
 * to the model's classes (a label it does not know is an error, never a silently wrong row).
 */
public final class HeldOut {
    private HeldOut() {}

    /**
     * The test set for {@code m}.
     *
     * @param fractionGiven whether the user typed --test-fraction (a value that differs from training's is refused
     *                      on the training file, whose test split would then overlap the training rows)
     * @param notes         where the notes about an older model file go
     */
    public static LabelledSet testSet(ModelFiles.Loaded m, DataOptions data, boolean fractionGiven, PrintStream notes) {
        for (String n : m.notes()) {
            notes.println("note: " + n);
        }
        ModelData d = m.data();
        double fraction = d.testFraction();
        if (data.csv != null && fractionGiven && data.testFraction != d.testFraction() && sameFile(data.csv, d.dataset())) {
            throw new NeuralOdeException("--test-fraction " + data.testFraction + " differs from the " + d.testFraction()
                    + " the model was trained with on " + data.csv + ": its test split would hold training rows; drop"
                    + " --test-fraction");
        }
        if (data.csv != null && fractionGiven) {
            fraction = data.testFraction;
        }
        LabelledSet test = data.load(d.seed(), fraction, data.csv == null ? null : d.features())[1];
        if (test.x().dim(1) != m.model().inputDim()) {
            throw new NeuralOdeException("the data has " + test.x().dim(1) + " feature columns, the model expects "
                    + m.model().inputDim());
        }
        String where = data.csv != null ? "--csv " + data.csv + ", label column \"" + data.label.trim() + "\""
                : "--dataset " + data.dataset;
        return d.labels().encode(test, where);
    }

    /** Whether {@code csv} is the file the model recorded as its training data. */
    static boolean sameFile(Path csv, String recorded) {
        if (recorded == null) {
            return false;
        }
        try {
            return csv.toAbsolutePath().normalize().equals(Path.of(recorded).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
