/**
 * Immutable n-d arrays and their values-only arithmetic: the bottom of the library (architecture.md §2).
 *
 * <p>{@link org.neuralode4j.tensor.Tensor} holds shape, dtype, storage, an id, a requires-grad flag and, when an op
 * recorded it, a {@link org.neuralode4j.tensor.GradOrigin}: a marker interface that {@code autodiff} implements, so
 * this package never imports {@code autodiff}. {@link org.neuralode4j.tensor.Primitives} is the one place outside
 * {@code tensor.kernels} that sees storage arrays: it checks shapes, allocates the result and calls a kernel
 * ({@code tensor.kernels}: GEMM, convolution, vector math; {@code kernels.simd} when the Vector API is present).
 *
 * <p><b>On the path of a solve</b>, every stage of a Runge–Kutta step ends here: the field's layers call
 * {@code Ops} (in {@code autodiff.ops}), which evaluate with {@code Primitives}, which run the kernels. The error
 * norm and step-size decisions read plain values from the tensors and never record anything.
 * {@link org.neuralode4j.tensor.Rng} is the seeded generator behind every random draw (weights, batch order,
 * Hutchinson probes), which is what makes runs reproducible from their seed.
 */
package org.neuralode4j.tensor;
