package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.tensor.Tensor;

/**
 * A classifier seen through a subset of its parameters: the trainer then differentiates and updates only those, and
 * the others stay frozen (fine-tuning the head alone, stability.md §4.1).
 */
public final class ParameterSubset implements NodeClassifier {
    private final NodeClassifier model;
    private final List<Parameter> trainable;

    /** {@code trainable} must be parameters of {@code model} (the same objects). */
    public ParameterSubset(NodeClassifier model, List<Parameter> trainable) {
        this.model = model;
        this.trainable = List.copyOf(trainable);
    }

    @Override
    public int inputDim() {
        return model.inputDim();
    }

    @Override
    public int classes() {
        return model.classes();
    }

    @Override
    public int stateDim() {
        return model.stateDim();
    }

    @Override
    public Tensor initialState(Tensor x) {
        return model.initialState(x);
    }

    @Override
    public Dynamics dynamics() {
        return model.dynamics();
    }

    @Override
    public Tensor logits(Solution s) {
        return model.logits(s);
    }

    @Override
    public List<Parameter> parameters() {
        return trainable;
    }
}
