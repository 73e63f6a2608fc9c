package org.neuralode4j.cli.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.plots.ImagePlots;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.train.BatchedEvaluation;
import org.neuralode4j.train.EpochMetrics;

/**
 * The pictures of an image classifier: confusion matrix, a grid of the first test images with predicted and true
 * labels, and (after training) loss and NFE per epoch.
 */
public final class ImageReport {
    /** Test images shown in the grid. */
    static final int GRID = 36;

    private ImageReport() {}

    /** confusion_matrix.png and test_images.png for an evaluation of {@code test} (predictions in its order). */
    public static void evaluation(OutputDir out, ImageSet test, BatchedEvaluation e, String what) {
        List<String> names = test.classNames();
        draw("confusion_matrix.png", () -> ImagePlots.confusionMatrix(out.path("confusion_matrix.png"),
                String.format("%s: confusion matrix, accuracy %.4f (%d images)", what, e.accuracy(), test.size()), names,
                e.confusion(names.size())));
        int n = Math.min(GRID, test.size());
        LabelledSet first = test.range(0, n);
        double[][] px = first.x().toArray2d();
        int[] pred = java.util.Arrays.copyOf(e.predictions(), n);
        draw("test_images.png", () -> ImagePlots.imageGrid(out.path("test_images.png"), what + ": first " + n
                + " test images, predicted and true labels", test.height(), px, pred, first.labels(), names, 6));
    }

    /** loss.png and nfe.png per epoch. */
    static void history(OutputDir out, List<EpochMetrics> history, String gradient) {
        int n = history.size();
        double[] fwd = new double[n];
        double[] bwd = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            fwd[i] = history.get(i).meanNfeForward();
            bwd[i] = history.get(i).meanNfeBackward();
            loss[i] = history.get(i).loss();
        }
        Map<String, double[]> nfe = new LinkedHashMap<>();
        nfe.put("forward NFE / iteration", fwd);
        nfe.put("backward NFE / iteration", bwd);
        draw("nfe.png", () -> Plots.curve(out.path("nfe.png"), "NFE per iteration (" + gradient + ")", "epoch", "NFE", nfe));
        draw("loss.png", () -> Plots.curve(out.path("loss.png"), "training loss", "epoch", "loss", Map.of("loss", loss)));
    }

    private interface Drawing {
        void run() throws IOException;
    }

    private static void draw(String name, Drawing d) {
        try {
            d.run();
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + name + ": " + e.getMessage());
        }
    }
}
