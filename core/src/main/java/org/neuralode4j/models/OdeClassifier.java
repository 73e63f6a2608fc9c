package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * What training, evaluation and attacks need of a neural-ODE classifier (evaluation.md §0): inputs [B, D] →
 * encoder → z(t0) → ODE solve → head → logits. The solve's state is [B, d] (image models flatten their feature
 * maps), so regularisers see rows as they do for the dense models.
 */
public interface OdeClassifier {
    /** Input features per sample (784 for a 28×28 image, in row-major order). */
    int inputDim();

    /** Number of classes; 2 means one logit with BCE, more one logit per class with cross-entropy. */
    int classes();

    /** Every trainable parameter, in a fixed order (optimisers key their state on these objects). */
    List<Parameter> parameters();

    /** Encodes x and solves the ODE block; z(t1) is {@code last(0)}. */
    Solution flow(Tensor x, SolverConfig cfg, GradientMethod method);

    /** As {@link #flow(Tensor, SolverConfig, GradientMethod)} with regulariser channels ({@code last(1..m)}). */
    Solution flow(Tensor x, SolverConfig cfg, GradientMethod method, RegularisedDynamics regs);

    /** The ODE block's field with the given regularisers, for one solve on a batch of {@code batch} rows. */
    RegularisedDynamics regularised(List<Regulariser> regs, int batch, Rng noise);

    /** Logits of the head on a solved flow. */
    Tensor logits(Solution s);

    /** Logits of x: encoder, solve and head (the function attacks differentiate). */
    default Tensor logits(Tensor x, SolverConfig cfg, GradientMethod method) {
        return logits(flow(x, cfg, method));
    }

    /** Class predictions from logits: logit &gt; 0 for binary, argmax (lowest index on ties) otherwise. */
    default int[] predict(Tensor logits) {
        int n = logits.dim(0);
        if (classes() == 2) {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = logits.getFlat(i) > 0 ? 1 : 0;
            }
            return out;
        }
        return Ops.argmax(logits, 1);
    }
}
