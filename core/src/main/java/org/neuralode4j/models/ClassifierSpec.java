package org.neuralode4j.models;

import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;

/**
 * Architecture of an augmented neural-ODE classifier, saved beside its parameters so a model can be rebuilt.
 *
 * @param inputDim  features per sample
 * @param augment   zero channels appended to the input (Dupont et al. 2019)
 * @param width     hidden width of the field
 * @param depth     hidden layers of the field
 * @param activation hidden activation
 * @param timeInput how the field sees t (IGNORE, CONCAT, CONCAT_SQUASH)
 * @param classes   number of classes (2: one logit with BCE; more: one logit per class with cross-entropy)
 */
public record ClassifierSpec(int inputDim, int augment, int width, int depth, Activation activation, TimeInput timeInput,
                             int classes) {
    public ClassifierSpec {
        if (inputDim < 1) {
            throw ConfigException.of("inputDim", inputDim, "must be >= 1");
        }
        if (augment < 0) {
            throw ConfigException.of("augment", augment, "must be >= 0");
        }
        if (width < 1) {
            throw ConfigException.of("width", width, "must be >= 1");
        }
        if (depth < 0) {
            throw ConfigException.of("depth", depth, "must be >= 0");
        }
        if (classes < 2) {
            throw ConfigException.of("classes", classes, "need at least 2 classes in the labels");
        }
        if (activation == null || timeInput == null) {
            throw new ConfigException("classifier: activation and time input are required");
        }
    }

    /** Head outputs: 1 logit for binary tasks, one per class otherwise. */
    public int outputs() {
        return classes == 2 ? 1 : classes;
    }

    /** The W1 architecture: d = 3 (one zero channel), 64 wide, 2 hidden tanh layers, t ignored, binary. */
    public static ClassifierSpec w1() {
        return new ClassifierSpec(2, 1, 64, 2, Activation.TANH, TimeInput.IGNORE, 2);
    }
}
