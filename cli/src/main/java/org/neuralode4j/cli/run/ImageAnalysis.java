package org.neuralode4j.cli.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.Attacks;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.cli.options.DataOptions;
import org.neuralode4j.cli.report.OrderedJson;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.ImageDatasets;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.ConvOdeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchedEvaluation;

/**
 * {@code eval} and {@code analyze} of a saved image classifier: accuracy on the test split in batches of 1000, and
 * FGSM and PGD in pixel space with adversarial images clipped to [0, 1] (evaluation.md §2.2–§2.4).
 */
public final class ImageAnalysis {
    /** evaluation.md §6: the default ε list for [0, 1] images. */
    public static final double[] IMAGE_EPS = {0, 0.01, 0.02, 0.05, 0.1, 0.2};
    /** evaluation.md §6: attacks on images run in batches of 256. */
    public static final int ATTACK_BATCH = 256;
    private static final Attacks.Box PIXELS = new Attacks.Box(0, 1);

    private ImageAnalysis() {}

    /** The test split the options name; the model's own data set when --dataset is not given. */
    static ImageSet testSet(ConvModelFiles.Loaded m, DataOptions data) {
        if (data.csv != null) {
            throw new NeuralOdeException("this model classifies " + m.dataset() + " images: give --dataset " + m.dataset()
                    + ", not --csv");
        }
        if (data.dataset == null) {
            data.dataset = m.dataset();
        }
        if (!ImageDatasets.isImage(data.dataset)) {
            throw new NeuralOdeException("this model classifies images: --dataset " + data.dataset + " is not an image set"
                    + " (use " + String.join(" or ", ImageDatasets.NAMES) + ")");
        }
        ImageSet test = org.neuralode4j.cli.options.ImageData.test(data);
        if (test.features() != m.model().inputDim() || test.classes() != m.model().classes()) {
            throw new NeuralOdeException(test.name() + " has " + test.classes() + " classes of " + test.height() + "×"
                    + test.width() + " images; the model expects " + m.model().classes() + " classes of "
                    + m.model().spec().side() + "×" + m.model().spec().side());
        }
        return test;
    }

    /** {@code eval}: accuracy, test NFE and per-class accuracy. */
    public static void eval(Path modelDir, DataOptions data, PrintStream log) {
        ConvModelFiles.Loaded m = ConvModelFiles.load(modelDir);
        ImageSet test = testSet(m, data);
        BatchedEvaluation e = BatchedEvaluation.run(m.model(), test, m.solver().config(), ImageClassifierRun.EVAL_BATCH);
        log.printf("accuracy %.4f on %d %s test images, NFE %.1f per batch of %d (max %d)%n", e.accuracy(), test.size(),
                test.name(), e.nfeMean(), ImageClassifierRun.EVAL_BATCH, e.nfeMax());
        long[][] c = e.confusion(test.classes());
        for (int k = 0; k < c.length; k++) {
            long row = 0;
            for (long v : c[k]) {
                row += v;
            }
            log.printf("  %-12s %.4f (%d images)%n", test.classNames().get(k), row == 0 ? Double.NaN : c[k][k] / (double) row, row);
        }
    }

    /**
     * {@code predict}: one predicted class per image of an IDX file, as CSV (row, class index, class name); with the
     * labels file, the accuracy on stderr.
     */
    public static void predict(Path modelDir, Path imagesFile, Path labelsFile, PrintStream log) {
        ConvModelFiles.Loaded m = ConvModelFiles.load(modelDir);
        ImageSet set = readImages(imagesFile, labelsFile, m.classNames(), m.model().inputDim());
        BatchedEvaluation e = BatchedEvaluation.run(m.model(), set, m.solver().config(), ImageClassifierRun.EVAL_BATCH);
        printPredictions(e.predictions(), set, labelsFile != null, m.classNames(), log);
    }

    /**
     * The images of an IDX file (gzip or plain) with their labels, or with class 0 standing in for every label when
     * {@code labelsFile} is null (then nothing reads it), checked against the model's {@code inputDim} pixels.
     */
    public static ImageSet readImages(Path imagesFile, Path labelsFile, java.util.List<String> classNames, int inputDim) {
        for (Path f : labelsFile == null ? java.util.List.of(imagesFile) : java.util.List.of(imagesFile, labelsFile)) {
            if (!java.nio.file.Files.isRegularFile(f)) {
                throw new NeuralOdeException(f + " does not exist or is not a file");
            }
        }
        ImageSet set;
        if (labelsFile != null) {
            set = org.neuralode4j.data.FashionMnist.read(imagesFile, labelsFile);
        } else {
            org.neuralode4j.data.IdxFile idx = org.neuralode4j.data.FashionMnist.readImages(imagesFile);
            set = new ImageSet(imagesFile.getFileName().toString(), idx.dims()[1], idx.dims()[2], idx.data(),
                    new int[idx.dims()[0]], classNames);
        }
        if (set.features() != inputDim) {
            int side = (int) Math.round(Math.sqrt(inputDim));
            throw new NeuralOdeException(imagesFile + ": images of " + set.height() + "×" + set.width() + ", the model expects "
                    + side + "×" + side);
        }
        return set;
    }

    /** One CSV row per image (row, class index, class name); with labels, the accuracy on stderr. */
    public static void printPredictions(int[] p, ImageSet set, boolean labelled, java.util.List<String> classNames,
                                        PrintStream log) {
        StringBuilder sb = new StringBuilder("row,prediction,class\n");
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            sb.append(i + 1).append(',').append(p[i]).append(',').append(classNames.get(p[i])).append('\n');
            correct += p[i] == set.label(i) ? 1 : 0;
        }
        log.print(sb);
        if (labelled) {
            System.err.printf("accuracy %.4f on %d images%n", correct / (double) p.length, p.length);
        }
    }

    /**
     * {@code analyze}: clean accuracy of the first {@code points} test images and their FGSM and PGD accuracies at
     * each ε, the gradients taken with the model's solver (DIRECT); writes analysis.json and the report PNGs.
     */
    public static void analyze(Path modelDir, DataOptions data, double[] eps, int points, Path outDir, PrintStream log) {
        ConvModelFiles.Loaded m = ConvModelFiles.load(modelDir);
        ImageSet test = testSet(m, data);
        ConvOdeClassifier model = m.model();
        SolverConfig solver = m.solver().config();
        BatchedEvaluation ev = BatchedEvaluation.run(model, test, solver, ImageClassifierRun.EVAL_BATCH);
        int n = Math.min(points, test.size());
        Function<Tensor, Tensor> logits = x -> model.logits(x, solver, new Direct());
        double[] fgsm = new double[eps.length];
        double[] pgd = new double[eps.length];
        double clean = 0;
        // Batches of 256 in file order (evaluation.md §0): one step-size sequence per batch, as at evaluation.
        for (int from = 0; from < n; from += ATTACK_BATCH) {
            int to = Math.min(n, from + ATTACK_BATCH);
            LabelledSet b = test.range(from, to);
            double w = (to - from) / (double) n;
            clean += w * Attacks.accuracy(logits, b.x(), b.labels());
            double[] f = Fgsm.accuracy(logits, b.x(), b.labels(), eps, PIXELS);
            double[] p = Pgd.accuracy(logits, b.x(), b.labels(), eps, Rng.seeded(7 + from), PIXELS);
            for (int i = 0; i < eps.length; i++) {
                fgsm[i] += w * f[i];
                pgd[i] += w * p[i];
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", modelDir.toString());
        report.put("data", OrderedJson.of("name", test.name(), "split", "test", "nEval", n, "batch", ATTACK_BATCH));
        report.put("test_accuracy", ev.accuracy());
        report.put("test_nfe_mean", ev.nfeMean());
        report.put("test_nfe_max", ev.nfeMax());
        report.put("confusion", ev.confusion(test.classes()));
        report.put("eps", eps);
        report.put("box", new double[] {0, 1});
        report.put("clean_accuracy", clean);
        report.put("fgsm_accuracy", fgsm);
        report.put("pgd_accuracy", pgd);
        report.put("pgd", OrderedJson.of("steps", Pgd.Settings.DEFAULT.steps(), "alpha", "2.5 eps / steps", "random_start", true,
                "restarts", 1));
        OutputDir dir = new OutputDir(outDir != null ? outDir : modelDir);
        dir.writeJson("analysis.json", report);
        ImageReport.evaluation(dir, test, ev, test.name());
        log.printf("test accuracy %.4f on %d images, test NFE %.1f per batch of %d%n", ev.accuracy(), test.size(),
                ev.nfeMean(), ImageClassifierRun.EVAL_BATCH);
        log.printf("attacks on the first %d test images (L-infinity, pixels clipped to [0, 1]); clean accuracy %.4f%n", n, clean);
        for (int i = 0; i < eps.length; i++) {
            log.printf("eps %.3g: FGSM accuracy %.4f, PGD accuracy %.4f%n", eps[i], fgsm[i], pgd[i]);
        }
        log.println("wrote " + dir.path("analysis.json") + ", confusion_matrix.png, test_images.png");
    }
}
