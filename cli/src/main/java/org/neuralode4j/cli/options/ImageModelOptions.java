package org.neuralode4j.cli.options;

import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.models.ConvClassifierSpec;
import org.neuralode4j.nn.TimeInput;
import picocli.CommandLine.Option;

/**
 * Architecture of the convolutional image classifier (workloads.md §3's stem, ODE block and head). The defaults
 * are the library's default image model: W3's stem and block (16 channels at 7×7, t ignored) with a linear head
 * on all of the final maps, which reaches Fashion-MNIST accuracies that W3's average-pool head does not in the
 * same time.
 */
public final class ImageModelOptions {
    @Option(names = "--channels", description = "Image models: channels of the stem and the ODE block (default ${DEFAULT-VALUE}).")
    public int channels = 16;

    @Option(names = "--head", description = "Image models: flatten (linear layer on all final maps) or average (global"
            + " average pool, then linear: W3's head) (default ${DEFAULT-VALUE}).")
    public String head = "flatten";

    /** The spec for an image set; {@code time} is the --time option (ignore or concat). */
    public ConvClassifierSpec spec(ImageSet train, String time) {
        if (channels < 1) {
            throw new NeuralOdeException("--channels must be >= 1 (got " + channels + ")");
        }
        ConvClassifierSpec.Head h;
        switch (head.toLowerCase(Locale.ROOT)) {
            case "flatten":
                h = ConvClassifierSpec.Head.FLATTEN;
                break;
            case "average":
                h = ConvClassifierSpec.Head.AVERAGE;
                break;
            default:
                throw new NeuralOdeException("--head " + head + " is unknown: use flatten or average");
        }
        TimeInput ti;
        switch (time.toLowerCase(Locale.ROOT)) {
            case "ignore":
                ti = TimeInput.IGNORE;
                break;
            case "concat":
                ti = TimeInput.CONCAT;
                break;
            default:
                throw new NeuralOdeException("--time " + time + " does not apply to image models: use ignore or concat");
        }
        if (train.height() != train.width()) {
            throw new NeuralOdeException(train.name() + ": images are " + train.height() + "×" + train.width()
                    + ", image models need square images");
        }
        return new ConvClassifierSpec(train.height(), channels, ti, h, train.classes());
    }
}
