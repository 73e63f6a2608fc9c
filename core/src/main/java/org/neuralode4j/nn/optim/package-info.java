/**
 * First-order optimisers with PyTorch's update semantics ({@link org.neuralode4j.nn.optim.Adam},
 * {@link org.neuralode4j.nn.optim.Sgd}), updating {@link org.neuralode4j.nn.Parameter} slots from gradients.
 */
package org.neuralode4j.nn.optim;
