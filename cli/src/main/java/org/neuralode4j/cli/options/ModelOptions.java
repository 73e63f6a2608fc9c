package org.neuralode4j.cli.options;

import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.models.LogNormSpec;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.TimeInput;
import picocli.CommandLine.Option;

/** Architecture of the classifier: the augmented neural ODE (default) or the log-norm classifier of stability.md §5. */
public final class ModelOptions {
    @Option(names = "--arch", description = "anode (augmented neural ODE with an MLP field) or lognorm (Linear + tanh"
            + " encoder, dense block tanh(Az + b), linear head; stability.md §5) (default ${DEFAULT-VALUE}).")
    public String arch = "anode";

    @Option(names = "--state-dim", description = "lognorm: dimension n of the dense block (default ${DEFAULT-VALUE}).")
    public int stateDim = 32;

    @Option(names = "--augment", description = "Zero channels appended to the input (default ${DEFAULT-VALUE}).")
    public int augment = 1;

    @Option(names = "--width", description = "Hidden width of the dynamics MLP (default ${DEFAULT-VALUE}).")
    public int width = 64;

    @Option(names = "--depth", description = "Hidden layers of the dynamics MLP (default ${DEFAULT-VALUE}).")
    public int depth = 2;

    @Option(names = "--activation", description = "tanh, softplus or relu (default ${DEFAULT-VALUE}).")
    public String activation = "tanh";

    @Option(names = "--time", description = "How the dynamics see t: ignore, concat or concatsquash (default ${DEFAULT-VALUE}).")
    public String time = "ignore";

    /** True for {@code --arch lognorm}; an unknown name is an error. */
    public boolean isLogNorm() {
        switch (arch.toLowerCase(Locale.ROOT)) {
            case "anode":
                return false;
            case "lognorm":
                return true;
            default:
                throw new NeuralOdeException("--arch " + arch + " is unknown: use anode or lognorm");
        }
    }

    /** The log-norm classifier's spec for a data set. */
    public LogNormSpec logNormSpec(LabelledSet train) {
        if (stateDim < 1) {
            throw new NeuralOdeException("--state-dim must be >= 1 (got " + stateDim + ")");
        }
        return new LogNormSpec(train.x().dim(1), stateDim, classes(train));
    }

    private static int classes(LabelledSet train) {
        int max = -1;
        for (int l : train.labels()) {
            if (l < 0) {
                throw new NeuralOdeException("labels must be 0, 1, 2, ...; found " + l);
            }
            max = Math.max(max, l);
        }
        if (max < 1) {
            throw new NeuralOdeException("the training labels hold a single class; a classifier needs at least two");
        }
        return max + 1;
    }

    /** The spec for a data set (input size and number of classes read from it). */
    public ClassifierSpec spec(LabelledSet train) {
        Activation act;
        switch (activation.toLowerCase(Locale.ROOT)) {
            case "tanh":
                act = Activation.TANH;
                break;
            case "softplus":
                act = Activation.SOFTPLUS;
                break;
            case "relu":
                act = Activation.RELU;
                break;
            default:
                throw new NeuralOdeException("--activation " + activation + " is unknown: use tanh, softplus or relu");
        }
        TimeInput ti;
        switch (time.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "ignore":
                ti = TimeInput.IGNORE;
                break;
            case "concat":
                ti = TimeInput.CONCAT;
                break;
            case "concatsquash":
                ti = TimeInput.CONCAT_SQUASH;
                break;
            default:
                throw new NeuralOdeException("--time " + time + " is unknown: use ignore, concat or concatsquash");
        }
        int max = -1;
        for (int l : train.labels()) {
            if (l < 0) {
                throw new NeuralOdeException("labels must be 0, 1, 2, ...; found " + l);
            }
            max = Math.max(max, l);
        }
        if (augment < 0 || width < 1 || depth < 0) {
            throw new NeuralOdeException("--augment >= 0, --width >= 1 and --depth >= 0 are required (got " + augment + ", "
                    + width + ", " + depth + ")");
        }
        if (max < 1) {
            throw new NeuralOdeException("the training labels hold a single class; a classifier needs at least two");
        }
        return new ClassifierSpec(train.x().dim(1), augment, width, depth, act, ti, max + 1);
    }
}
