package org.neuralode4j.cli.studies;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.neuralode4j.analysis.Attacks;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Margin;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.data.FashionMnist;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.EncodedNodeClassifier;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The image task of {@code study conditioning} (claims.md §1): Fashion-MNIST's T-shirt/top (label 0) against Shirt
 * (label 6), the pair the paper's image experiment names, as a binary task (T-shirt/top → 0, Shirt → 1). The model is
 * claims.md's: a linear encoder 784→16, an ODE with the MLP field 16→64→64→16 (tanh), a linear head; Adam lr 1e-3,
 * batch 128. Attacks and margins work in pixel space clipped to [0, 1], with evaluation.md §6's image defaults:
 * ε ∈ {0.01, 0.02, 0.05, 0.1, 0.2} (L∞) and PGD-bisection margins (ε_max 0.5, 10 bisections, S 50; L∞).
 */
final class ConditioningImageTask {
    static final String NAME = "fmnist-pair";
    static final int T_SHIRT = 0;
    static final int SHIRT = 6;
    /** evaluation.md §6, images (ε = 0 is the clean accuracy). */
    static final double[] EPS = {0.01, 0.02, 0.05, 0.1, 0.2};
    static final double LEARNING_RATE = 1e-3;
    private static final Attacks.Box PIXELS = new Attacks.Box(0, 1);

    /** Sizes of the image task in one plan (train/test counts are of the pair, at most 12000 and 2000). */
    record Sizes(int train, int test, int batch, int epochs, int analysis) {}

    private ConditioningImageTask() {}

    /** claims.md §1's image model for the binary pair. */
    static EncodedNodeClassifier model(long seed) {
        return new EncodedNodeClassifier(new EncodedNodeClassifier.Spec(784, 16, 64, 2, Activation.TANH, 2),
                Rng.seeded(seed));
    }

    /**
     * {train, test}: the training images of the pair, {@code train} of them drawn by a generator seeded 0 (all when
     * {@code train} is the pair's size), kept in file order; the first {@code test} test images of the pair in file
     * order (evaluation.md §0). Pixels /255; labels T-shirt/top → 0, Shirt → 1. {@code dir} null: the usual lookup.
     */
    static LabelledSet[] data(java.nio.file.Path dir, int train, int test) {
        ImageSet tr = pair(FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        ImageSet te = pair(FashionMnist.load(dir, FashionMnist.Split.TEST));
        return new LabelledSet[] {binary(tr.sample(train, 0)), binary(te.first(test))};
    }

    /** The images of the two classes, in file order. */
    static ImageSet pair(ImageSet all) {
        int[] idx = IntStream.range(0, all.size())
                .filter(i -> all.label(i) == T_SHIRT || all.label(i) == SHIRT).toArray();
        return all.subset(idx);
    }

    /** Features of every image, and the binary label Shirt → 1, T-shirt/top → 0. */
    static LabelledSet binary(ImageSet pair) {
        LabelledSet rows = pair.rows(IntStream.range(0, pair.size()).toArray());
        int[] labels = Arrays.stream(rows.labels()).map(l -> l == SHIRT ? 1 : 0).toArray();
        return new LabelledSet(rows.x(), labels);
    }

    /** FGSM and PGD-20 accuracy at {@link #EPS} and the L∞ PGD-bisection margins, in pixel space. */
    static void robustness(Measurements.Builder m, EncodedNodeClassifier model, LabelledSet some, SolverConfig solver,
                           long seed) {
        Function<Tensor, Tensor> logits = x -> model.logits(model.flow(x, solver, new Direct()));
        m.put("attack.fgsm", Fgsm.accuracy(logits, some.x(), some.labels(), EPS, PIXELS));
        m.put("attack.pgd", Pgd.accuracy(logits, some.x(), some.labels(), EPS, Rng.seeded(1000 + seed), PIXELS));
        ConditioningStudy.margins(m, Margin.pgdBisection(logits, some.x(), some.labels(), Margin.IMAGE_EPS_MAX,
                Margin.IMAGE_BISECTIONS, Pgd.Settings.DEFAULT.withSteps(Margin.IMAGE_PGD_STEPS).withLoss(
                        org.neuralode4j.analysis.AttackLoss.MARGIN), Rng.seeded(2000 + seed), PIXELS));
    }
}
