package org.neuralode4j.nn;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * A function y = f(t, x; θ) conditioned on the solver time t, one scalar shared by the batch: the building
 * block of ODE dynamics fields f(t, z) (regularisers.md §6).
 *
 * <p>t is taken as a one-element tensor so that ∂f/∂t can be differentiated (adjoint methods need it);
 * {@link #forward(double, Tensor)} is the shortcut for a constant time.
 */
public interface TimeModule extends Parameterized {
    /**
     * @param t one-element tensor (rank 0 or any shape of size 1), the time shared by the whole batch
     * @param x input, usually [B, D]
     */
    Tensor forward(Tensor t, Tensor x);

    /** {@link #forward(Tensor, Tensor)} at a constant time (no gradient with respect to t). */
    default Tensor forward(double t, Tensor x) {
        return forward(Tensor.scalar(x.dtype(), t), x);
    }

    /** A time module that ignores t and applies {@code m}; its parameters are m's, under the same names. */
    static TimeModule ignoringTime(Module m) {
        return new IgnoreTime(m);
    }

    /**
     * t as a rank-0 tensor, so that it broadcasts against any shape; recorded, so gradients reach t.
     *
     * @throws ShapeException when t has more than one element
     */
    static Tensor scalarTime(Tensor t) {
        if (t.size() != 1) {
            throw new ShapeException("time-conditioned layer: t must have one element (the time shared by the batch), got shape "
                    + t.shape());
        }
        return Ops.reshape(t, new int[0]);
    }

    /** The IGNORE variant: a plain module seen as a time module. */
    final class IgnoreTime implements TimeModule {
        private final Module inner;

        private IgnoreTime(Module inner) {
            this.inner = inner;
        }

        /** The wrapped module. */
        public Module inner() {
            return inner;
        }

        @Override
        public Tensor forward(Tensor t, Tensor x) {
            return inner.forward(x);
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public String toString() {
            return "IgnoreTime(" + inner + ")";
        }
    }
}
