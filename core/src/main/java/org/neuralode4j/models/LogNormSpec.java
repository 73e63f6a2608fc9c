package org.neuralode4j.models;

import org.neuralode4j.ode.ConfigException;

/**
 * Architecture of the log-norm classifier of stability.md §5 (De Marinis, Guglielmi, Sicilia, Tudisco 2025, as fixed
 * by the library): Linear inputDim→n + tanh, the dense block ẋ = tanh(Ax + b) on [0, 1], Linear n→classes.
 *
 * @param inputDim features per sample (2 for the 2-D variant, 784 for images)
 * @param stateDim n, the block's dimension (32 by default; 4 to 8 for the 2-D variant)
 * @param classes  number of classes (2: one logit with BCE)
 */
public record LogNormSpec(int inputDim, int stateDim, int classes) {
    public LogNormSpec {
        if (inputDim < 1) {
            throw ConfigException.of("inputDim", inputDim, "must be >= 1");
        }
        if (stateDim < 1) {
            throw ConfigException.of("stateDim", stateDim, "must be >= 1");
        }
        if (classes < 2) {
            throw ConfigException.of("classes", classes, "need at least 2 classes in the labels");
        }
    }

    /** Head outputs: 1 logit for binary tasks, one per class otherwise. */
    public int outputs() {
        return classes == 2 ? 1 : classes;
    }
}
