/**
 * Reverse-mode differentiation of any order (architecture.md §1, "a small tape whose backward is more of the same
 * ops").
 *
 * <p>Each differentiable op in {@code autodiff.ops.Ops} evaluates with {@code tensor.Primitives} and, when
 * {@link org.neuralode4j.autodiff.GradMode} says recording is on for the thread, attaches a
 * {@link org.neuralode4j.autodiff.Node} (its inputs, output and gradient rule) to the result through
 * {@link org.neuralode4j.autodiff.Autograd#record}. The rules are written in the same {@code Ops}, so
 * {@link org.neuralode4j.autodiff.Autograd#grad} with {@code createGraph} records its own sweep and the gradient
 * can be differentiated again (Jacobian regularisers, Hessian–vector products).
 * {@link org.neuralode4j.autodiff.GradCheck} compares any of it with finite differences.
 *
 * <p><b>On the path of a solve</b>: under the direct method every stage evaluation, RK combination and output
 * interpolation of the loop is recorded here, so a loss on the solution backpropagates through the steps; the
 * adjoint methods run the forward loop under {@code GradMode.noGrad()} and record one node whose rule runs a
 * backward solve (see {@code sensitivity}). Regularisers call {@code Autograd.grad} inside the field, under
 * {@code GradMode.enableGrad()}, to get the vector–Jacobian products they integrate.
 */
package org.neuralode4j.autodiff;
