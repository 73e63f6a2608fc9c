package org.neuralode4j.nn.optim;

import java.util.List;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.tensor.Tensor;

/** Validation shared by the optimisers, run over all gradients before any parameter changes. */
final class Steps {
    private Steps() {}

    static void checkGradients(String optimizer, List<Parameter> params, List<Tensor> grads) {
        if (params.size() != grads.size()) {
            throw new NeuralOdeException(optimizer + ".step: " + grads.size() + " gradients for " + params.size() + " parameters");
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor g = grads.get(i);
            if (!g.shape().equals(p.shape())) {
                throw new NeuralOdeException(optimizer + ".step: gradient " + i + " has shape " + g.shape() + " but parameter '"
                        + p.name() + "' has shape " + p.shape());
            }
            if (g.dtype() != p.value().dtype()) {
                throw new NeuralOdeException(optimizer + ".step: gradient " + i + " is " + g.dtype().label() + " but parameter '"
                        + p.name() + "' is " + p.value().dtype().label());
            }
            if (!g.allFinite()) {
                throw new NeuralOdeException(optimizer + ".step: the gradient of parameter '" + p.name()
                        + "' contains NaN or Inf; no parameter was changed (lower the learning rate or check the loss)");
            }
        }
    }

    static double checkLearningRate(String optimizer, double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new NeuralOdeException(optimizer + ": learning rate must be finite and > 0, got " + lr);
        }
        return lr;
    }

    static double checkRange(String optimizer, String what, double v, double lo, double hiExclusive) {
        if (!(v >= lo && v < hiExclusive)) {
            throw new NeuralOdeException(optimizer + ": " + what + " must be in [" + lo + ", " + hiExclusive + "), got " + v);
        }
        return v;
    }
}
