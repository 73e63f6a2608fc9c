package org.neuralode4j.models;

import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;

/**
 * Architecture of a convolutional neural-ODE image classifier (workloads.md §3), saved beside its parameters so
 * a model can be rebuilt: a stem of two stride-2 3×3 convolutions with ReLU takes a side×side grey image to
 * {@code channels} feature maps of (side/4)×(side/4); the ODE block is conv₂(tanh(conv₁(h))) with 3×3 kernels,
 * stride 1, padding 1 and biases; the head reads z(1) with one linear layer, after averaging each map (W3) or
 * from every value of the maps.
 *
 * @param side      image height and width (28)
 * @param channels  feature maps of the stem and the ODE block
 * @param timeInput IGNORE (W3) or CONCAT (a constant-t channel before each block convolution)
 * @param head      how the linear head reads the final maps
 * @param classes   number of classes
 */
public record ConvClassifierSpec(int side, int channels, TimeInput timeInput, Head head, int classes) {
    /** What the linear head sees. */
    public enum Head {
        /** Global average pool over each map, then Linear(channels → classes): W3's head. */
        AVERAGE,
        /** Every value of the maps, Linear(stateDim → classes): more parameters, keeps where a feature is. */
        FLATTEN
    }

    public ConvClassifierSpec {
        if (head == null) {
            throw new ConfigException("convolutional classifier: head is required");
        }
        if (side < 4) {
            throw ConfigException.of("side", side, "must be >= 4");
        }
        if (channels < 1) {
            throw ConfigException.of("channels", channels, "must be >= 1");
        }
        if (classes < 2) {
            throw ConfigException.of("classes", classes, "need at least 2 classes in the labels");
        }
        if (timeInput != TimeInput.IGNORE && timeInput != TimeInput.CONCAT) {
            throw ConfigException.of("time input", timeInput, "a convolutional block takes IGNORE or CONCAT");
        }
    }

    /** W3: 28×28 Fashion-MNIST, 16 channels at 7×7, t ignored, 10 classes (7290 parameters). */
    public static ConvClassifierSpec w3() {
        return new ConvClassifierSpec(28, 16, TimeInput.IGNORE, Head.AVERAGE, 10);
    }

    /** Side of the feature maps after the stem's two stride-2 convolutions (padding 1, kernel 3). */
    public int mapSide() {
        int s1 = (side - 1) / 2 + 1;
        return (s1 - 1) / 2 + 1;
    }

    /** Values of the ODE state per sample: mapSide² · channels. */
    public int stateDim() {
        return mapSide() * mapSide() * channels;
    }

    /** Inputs of the linear head. */
    public int headInputs() {
        return head == Head.AVERAGE ? channels : stateDim();
    }

    /** Head outputs: 1 logit for binary tasks, one per class otherwise. */
    public int outputs() {
        return classes == 2 ? 1 : classes;
    }
}
