package org.neuralode4j.nn.optim;

import java.util.List;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.tensor.Tensor;

/**
 * A first-order update rule: given parameters and the gradients of the loss with respect to their current
 * values (as returned by {@code Autograd.grad(loss, module.parameterTensors())}), replaces each value.
 *
 * <p>Implementations keep per-parameter state (moments, momentum buffers) keyed by the {@link Parameter}
 * object, so pass the same parameter objects every step. A step validates every gradient before changing any
 * parameter, so a rejected step leaves the model untouched. Not thread-safe.
 */
public interface Optimizer {
    /**
     * One update.
     *
     * @param params the parameters to update
     * @param grads  one per parameter, same shapes, finite
     * @throws org.neuralode4j.NeuralOdeException when the lists differ in length, a shape differs or a gradient
     *                                            holds NaN/Inf (naming the parameter)
     */
    void step(List<Parameter> params, List<Tensor> grads);

    double learningRate();

    /** Changes the learning rate from the next step on (schedules, warm-up); state is kept. */
    void setLearningRate(double lr);

    /** Forgets the state of {@code p} (for example after projecting it, which is not a gradient step). */
    void resetState(Parameter p);
}
