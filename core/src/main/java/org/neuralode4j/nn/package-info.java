/**
 * Neural-network building blocks for ODE fields and the models around them: {@link org.neuralode4j.nn.Parameter}
 * slots (the only mutable state), {@link org.neuralode4j.nn.Module} (f(x)) and
 * {@link org.neuralode4j.nn.TimeModule} (f(t, x)) with their layers and containers, PyTorch-default
 * initialisation ({@link org.neuralode4j.nn.Init}), and checkpoints ({@link org.neuralode4j.nn.ParameterFile}).
 *
 * <p>Every forward pass is built from recorded {@code Ops}, so gradients of any order come from
 * {@code Autograd.grad(outputs, module.parameterTensors(), ...)}. Losses live in {@code nn.loss}, optimisers in
 * {@code nn.optim}.
 */
package org.neuralode4j.nn;
