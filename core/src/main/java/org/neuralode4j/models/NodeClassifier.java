package org.neuralode4j.models;

import java.util.List;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * A classifier of the form input → z(0) → ODE on [0, 1] → head: what the trainer, evaluation and analysis need,
 * whatever the encoder and field (the augmented MLP of W1, the dense log-norm block of stability.md §5, the
 * convolutional block of W3, whose feature maps the state holds flattened).
 */
public interface NodeClassifier {
    /** Features per sample. */
    int inputDim();

    /** Number of classes (2: one logit with BCE; more: one logit per class). */
    int classes();

    /** z(0) for inputs x [B, inputDim]. */
    Tensor initialState(Tensor x);

    /** The field of the ODE block. */
    Dynamics dynamics();

    /** Solves the flow for x (z(1) in {@code last(0)}). */
    default Solution flow(Tensor x, SolverConfig cfg, GradientMethod method) {
        return org.neuralode4j.ode.Ode.solve(dynamics(), List.of(initialState(x)), new double[] {0, 1}, cfg, method);
    }

    /** Solves the flow with regulariser channels (regularisers.md §2). */
    default Solution flow(Tensor x, SolverConfig cfg, GradientMethod method, RegularisedDynamics regs) {
        return org.neuralode4j.ode.Ode.solve(regs, regs.initialState(initialState(x)), new double[] {0, 1}, cfg, method);
    }

    /** This model's field with the given regularisers, for one solve on {@code batch} rows. */
    default RegularisedDynamics regularised(List<Regulariser> regs, int batch, Rng noise) {
        return new RegularisedDynamics(dynamics(), regs, batch, stateDim(), noise, 1.0,
                RegularisedDynamics.ChannelScope.PER_SAMPLE);
    }

    /** Entries of z per sample. */
    int stateDim();

    /** Logits of the head on a solved flow. */
    Tensor logits(Solution s);

    /** Logits of x: encoder, solve and head (the function attacks differentiate). */
    default Tensor logits(Tensor x, SolverConfig cfg, GradientMethod method) {
        return logits(flow(x, cfg, method));
    }

    /** Every trainable parameter, in a fixed order (optimiser state and parameter files key on it). */
    List<Parameter> parameters();

    /** Class predictions from logits: logit &gt; 0 for binary, argmax otherwise. */
    default int[] predict(Tensor logits) {
        int n = logits.dim(0);
        int[] out = new int[n];
        if (classes() == 2) {
            for (int i = 0; i < n; i++) {
                out[i] = logits.getFlat(i) > 0 ? 1 : 0;
            }
            return out;
        }
        return org.neuralode4j.autodiff.ops.Ops.argmax(logits, 1);
    }
}
