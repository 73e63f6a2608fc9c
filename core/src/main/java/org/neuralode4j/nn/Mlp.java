package org.neuralode4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.tensor.Rng;

/**
 * Factories for multilayer perceptrons, the usual ODE fields (regularisers.md §6.3): layers 1..L with the
 * hidden activation between layers and none after the last, so widths 2, 64, 64, 2 gives
 * layer, act, layer, act, layer (parameters {@code layers.0.*}, {@code layers.2.*}, {@code layers.4.*}).
 */
public final class Mlp {
    private Mlp() {}

    /** The layout of a time-conditioned MLP field; widths.get(0) is the input size, the last the output size. */
    public record FieldConfig(List<Integer> widths, TimeInput timeInput, Activation activation, boolean zeroLast) {
        public FieldConfig {
            widths = List.copyOf(widths);
            checkWidths(widths);
            if (timeInput == null || activation == null) {
                throw new NeuralOdeException("Mlp: timeInput and activation must be given");
            }
        }
    }

    /**
     * A field f(t, z): time-conditioned layers of {@code config.timeInput()} with {@code config.activation()}
     * between them. With zeroLast, the last layer's weight arrays are zeroed (its biases kept), so the initial
     * field is constant in z. Layers are initialised in order from {@code rng}.
     */
    public static TimeSequential field(FieldConfig config, Rng rng) {
        List<Integer> w = config.widths();
        List<TimeModule> layers = new ArrayList<>();
        TimeModule act = TimeModule.ignoringTime(config.activation());
        TimeModule last = null;
        for (int i = 0; i + 1 < w.size(); i++) {
            if (i > 0) {
                layers.add(act);
            }
            last = config.timeInput().linear(w.get(i), w.get(i + 1), rng);
            layers.add(last);
        }
        if (config.zeroLast()) {
            Init.zeroWeights(last);
        }
        return new TimeSequential(layers);
    }

    /** A plain MLP x → y: biased {@link Linear} layers with {@code activation} between them. */
    public static Sequential of(List<Integer> widths, Activation activation, Rng rng) {
        checkWidths(widths);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.size(); i++) {
            if (i > 0) {
                layers.add(activation);
            }
            layers.add(new Linear(widths.get(i), widths.get(i + 1), true, rng));
        }
        return new Sequential(layers);
    }

    private static void checkWidths(List<Integer> widths) {
        if (widths.size() < 2) {
            throw new NeuralOdeException("Mlp: need at least an input and an output width, got " + widths);
        }
        for (int v : widths) {
            if (v < 1) {
                throw new NeuralOdeException("Mlp: widths must be >= 1, got " + widths);
            }
        }
    }
}
