package org.neuralode4j.nn;

import org.neuralode4j.tensor.Rng;

/**
 * How a layer of an ODE field sees the solver time t (regularisers.md §6): the choice FFJORD calls
 * {@code layer_type}. Each constant builds its linear and convolutional layers, so a field is configured by one
 * value.
 */
public enum TimeInput {
    /** y = W x + b; t unused. m(n + 1) parameters. */
    IGNORE {
        @Override
        public TimeModule linear(int in, int out, Rng rng) {
            return TimeModule.ignoringTime(new Linear(in, out, true, rng));
        }

        @Override
        public TimeModule conv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng) {
            return TimeModule.ignoringTime(new Conv2d(inCh, outCh, k, stride, pad, true, rng));
        }
    },
    /** y = W′[t; x] + b, t as the first input column (channel for convolutions). m(n + 2) parameters. */
    CONCAT {
        @Override
        public TimeModule linear(int in, int out, Rng rng) {
            return new ConcatLinear(in, out, rng);
        }

        @Override
        public TimeModule conv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng) {
            return new ConcatConv2d(inCh, outCh, k, stride, pad, rng);
        }
    },
    /** y = (W x + b) ⊙ sig(w_g t + b_g) + w_b t. m(n + 4) parameters. */
    CONCAT_SQUASH {
        @Override
        public TimeModule linear(int in, int out, Rng rng) {
            return new ConcatSquashLinear(in, out, rng);
        }

        @Override
        public TimeModule conv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng) {
            return new ConcatSquashConv2d(inCh, outCh, k, stride, pad, rng);
        }
    };

    /** A time-conditioned linear layer [B, in] → [B, out] of this kind, initialised by {@link Init}. */
    public abstract TimeModule linear(int in, int out, Rng rng);

    /** A time-conditioned NHWC convolution [N, H, W, inCh] → [N, OH, OW, outCh] of this kind. */
    public abstract TimeModule conv2d(int inCh, int outCh, int k, int stride, int pad, Rng rng);
}
