package org.neuralode4j.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.data.CsvDataset;
import org.neuralode4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code predict --model DIR --csv FILE}: one predicted label (as written in the training data) per row, as CSV;
 * for an image model (convolutional, or the log-norm classifier trained on an image set), {@code --images FILE}
 * (IDX, gzip or plain) gives one predicted class per image.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict classes for the rows of a CSV file"
        + " or the images of an IDX file.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train run.")
    Path model;

    @Option(names = "--csv", paramLabel = "FILE", description = "Feature rows (numeric columns).")
    Path csv;

    @Option(names = "--images", paramLabel = "FILE", description = "Image models: 28×28 images as an IDX file (gzip or plain).")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "Image models: the IDX labels of --images, to report accuracy.")
    Path labels;

    @Override
    public Integer call() {
        if (org.neuralode4j.cli.run.ConvModelFiles.isConv(model)) {
            if (images == null || csv != null) {
                throw new NeuralOdeException("--model " + model + " is an image classifier: give --images FILE (IDX), not --csv");
            }
            org.neuralode4j.cli.run.ImageAnalysis.predict(model, images, labels, System.out);
            return 0;
        }
        ModelFiles.Loaded m = ModelFiles.load(model);
        if (org.neuralode4j.cli.run.LogNormImages.box(m.data()) != null) {
            predictImages(m);
            return 0;
        }
        if (csv == null || images != null || labels != null) {
            throw new NeuralOdeException("--model " + model + " classifies feature rows: give --csv FILE (--images is for image models)");
        }
        if (!Files.isRegularFile(csv)) {
            throw new NeuralOdeException("--csv " + csv + " does not exist or is not a file");
        }
        Tensor x = features(m.data().features());
        if (x.dim(1) != m.model().inputDim()) {
            throw new NeuralOdeException("--csv " + csv + " has " + x.dim(1) + " columns, the model expects " + m.model().inputDim());
        }
        int[] pred = m.predict(x);
        StringBuilder sb = new StringBuilder("row,prediction\n");
        for (int i = 0; i < pred.length; i++) {
            sb.append(i + 1).append(',').append(m.data().labels().value(pred[i])).append('\n');
        }
        System.out.print(sb);
        for (String n : m.notes()) {
            System.err.println("note: " + n);
        }
        return 0;
    }

    /** A dense model trained on an image set (the log-norm classifier): the images flattened as training did. */
    private void predictImages(ModelFiles.Loaded m) {
        if (images == null || csv != null) {
            throw new NeuralOdeException("--model " + model + " classifies " + m.data().dataset() + " images: give --images"
                    + " FILE (IDX), not --csv");
        }
        List<String> names = org.neuralode4j.data.ImageDatasets.classNames(m.data().dataset());
        org.neuralode4j.data.ImageSet set = org.neuralode4j.cli.run.ImageAnalysis.readImages(images, labels, names,
                m.model().inputDim());
        int[] pred = m.predict(org.neuralode4j.cli.run.LogNormImages.flatten(set).x());
        org.neuralode4j.cli.run.ImageAnalysis.printPredictions(pred, set, labels != null, names, System.out);
    }

    /**
     * The model's input columns. A model trained on a CSV knows its feature names: they are found by header name in
     * any order (other columns, such as the label, are ignored), and a file without a header is refused rather than
     * read by position. A model of a built-in set (or an older model file) takes every column, in order.
     */
    private Tensor features(List<String> names) {
        if (names == null) {
            return CsvDataset.loadFeatures(csv);
        }
        if (CsvDataset.headerOrNull(csv, ',') == null) {
            throw new NeuralOdeException("--csv " + csv + " has no header line; the model was trained on the columns "
                    + String.join(", ", names) + ": add a header naming them");
        }
        return CsvDataset.loadFeatures(csv, names, ',');
    }
}
