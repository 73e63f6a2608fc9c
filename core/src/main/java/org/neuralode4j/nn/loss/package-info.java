/**
 * Training losses (binary and multiclass cross-entropy on logits, mean squared error), written in recorded ops
 * so that they are differentiable to any order, and accuracy helpers.
 */
package org.neuralode4j.nn.loss;
