package org.neuralode4j.cli.run;

import org.neuralode4j.analysis.Attacks;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;

/**
 * The log-norm classifier of De Marinis, Guglielmi, Sicilia, Tudisco (2025) on images, in the paper's dense form
 * (stability.md §5): pixels/255 ∈ [0, 1] flattened to 784 values, then Linear 784→n + tanh, the block
 * ẋ = tanh(Ax + b), a linear head. The images become an ordinary {@link LabelledSet} (float64, as the stabiliser),
 * so training, {@code stabilize} and {@code analyze} are the classifier run's; attacks stay in the pixel box.
 */
public final class LogNormImages {
    /** stability.md §5: Adam lr 1e-3, batch 128, 3 epochs. */
    public static final int EPOCHS = 3;
    public static final int BATCH = 128;
    public static final double LR = 1e-3;
    /** evaluation.md §2.3: adversarial images are clipped to [0, 1]. */
    public static final Attacks.Box PIXELS = new Attacks.Box(0, 1);

    private LogNormImages() {}

    /** Every image as one row of pixels/255, labels the class indices. */
    public static LabelledSet flatten(ImageSet images) {
        return images.range(0, images.size());
    }

    /** What a model recorded as its data: a built-in image set (fmnist, mnist) by its canonical name. */
    public static ModelData recorded(String canonicalName, ImageSet train, long seed) {
        return new ModelData(canonicalName, true, null, null, seed, ModelData.OLD_TEST_FRACTION,
                ClassLabels.identity(train.classes()));
    }

    /** The attack box of a model trained on {@code data}: [0, 1] for images, none otherwise. */
    public static Attacks.Box box(ModelData data) {
        return data != null && data.builtIn() && org.neuralode4j.data.ImageDatasets.isImage(data.dataset()) ? PIXELS
                : null;
    }
}
