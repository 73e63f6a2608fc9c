package org.neuralode4j.nn;

import org.neuralode4j.tensor.Tensor;

/**
 * A differentiable function y = f(x; θ) with trainable parameters θ, built from recorded ops so that its
 * gradients (of any order) come from {@code Autograd}.
 *
 * <p>Note: this name shadows {@code java.lang.Module}; import it by its full name
 * ({@code import org.neuralode4j.nn.Module;}) rather than with {@code org.neuralode4j.nn.*}, which would make
 * the simple name ambiguous.
 */
public interface Module extends Parameterized {
    /** Applies the module; shapes are documented by each implementation (usually [B, D] → [B, D']). */
    Tensor forward(Tensor x);
}
