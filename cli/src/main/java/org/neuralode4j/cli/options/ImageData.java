package org.neuralode4j.cli.options;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.ImageDatasets;
import org.neuralode4j.data.ImageSet;

/** Loads the image set that {@link DataOptions} names, with its sizes (datasets.md §3.3, §4.2). */
public final class ImageData {
    private ImageData() {}

    static ImageSet[] load(DataOptions o, long seed) {
        ImageSet train = ImageDatasets.load(o.dataset, true, o.fmnistDir, o.mnistDir);
        if (o.trainSize != null) {
            check("--train-size", o.trainSize, train);
            train = train.sample(o.trainSize, seed);
        }
        return new ImageSet[] {train, test(o)};
    }

    /** The test split alone (evaluation needs no training images): all of it, or its first --test-size. */
    public static ImageSet test(DataOptions o) {
        if (o.csv != null) {
            throw new NeuralOdeException("give either --dataset NAME or --csv FILE, not both");
        }
        ImageSet test = ImageDatasets.load(o.dataset, false, o.fmnistDir, o.mnistDir);
        if (o.testSize != null) {
            check("--test-size", o.testSize, test);
            test = test.first(o.testSize);
        }
        return test;
    }

    private static void check(String option, int n, ImageSet set) {
        if (n < 1 || n > set.size()) {
            throw new NeuralOdeException(option + " must be between 1 and " + set.size() + " for " + set.name() + " (got "
                    + n + ")");
        }
    }
}
