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
     * @param notes         where the notes about an older model file go (printed once the data is loaded)
     */
    public static LabelledSet testSet(ModelFiles.Loaded m, DataOptions data, boolean fractionGiven, PrintStream notes) {
        ModelData d = m.data();
        if (LogNormImages.box(d) != null) {
            return images(m, data, notes);
        }
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
        LabelledSet encoded = d.labels().encode(test, where);
        // Only now: a run that fails above prints its one error line and nothing else.
        for (String n : m.notes()) {
            notes.println("note: " + n);
        }
        return encoded;
    }

    /** The test images of a model trained on an image set, flattened as training did (--test-size: the first N). */
    private static LabelledSet images(ModelFiles.Loaded m, DataOptions data, PrintStream notes) {
        if (data.csv != null) {
            throw new NeuralOdeException("this model classifies " + m.data().dataset() + " images: give --dataset "
                    + m.data().dataset() + ", not --csv");
        }
        if (data.dataset == null) {
            data.dataset = m.data().dataset();
        }
        if (!data.images()) {
            throw new NeuralOdeException("this model classifies images: --dataset " + data.dataset + " is not an image"
                    + " set (use " + String.join(" or ", org.neuralode4j.data.ImageDatasets.NAMES) + ")");
        }
        org.neuralode4j.data.ImageSet test = org.neuralode4j.cli.options.ImageData.test(data);
        if (test.features() != m.model().inputDim() || test.classes() != m.model().classes()) {
            throw new NeuralOdeException(test.name() + " has " + test.classes() + " classes of " + test.features()
                    + " pixels; the model expects " + m.model().classes() + " classes of " + m.model().inputDim());
        }
        for (String n : m.notes()) {
            notes.println("note: " + n);
        }
        return LogNormImages.flatten(test);
    }

    /** Whether {@code csv} is the file the model recorded as its training data. */
    public static boolean sameFile(Path csv, String recorded) {
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
