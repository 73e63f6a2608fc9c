package org.neuralode4j.ode;

import java.util.List;
import java.util.function.BiFunction;
import org.neuralode4j.tensor.Tensor;

/**
 * The right-hand side f(t, y) of an ODE whose state is a tuple of tensors, each [B, ...] with the batch first.
 *
 * <p>{@code ode} does not know about layers: a dynamics lists its parameters as tensors, and {@code models}
 * adapts modules into dynamics, so solvers are tested on closed-form fields with no layers at all.
 */
public interface Dynamics {
    /**
     * Evaluates f. Built from recorded ops, so that a solve can be differentiated through.
     *
     * <p>A field that takes a gradient inside (Jacobian penalties, ∂H/∂z) must open
     * {@code GradMode.enableGrad()} itself and use {@code y.requiresGrad() ? y : y.requiringGrad()} as the input:
     * the adjoint methods run their forward solve under no-grad.
     *
     * @param t the true time (also when the solve runs backwards in time)
     * @param y the state components, as given in the initial state
     * @return the time derivative of each component, same shapes
     */
    List<Tensor> apply(double t, List<Tensor> y);

    /**
     * Evaluates f for rows that sit at different times (per-sample step control): row b of the result is f at
     * time t[b]. The default evaluates each group of rows sharing a time with one call (one call in total for
     * autonomous fields); fields that take time as an input column override it to evaluate in one call.
     */
    default List<Tensor> applyRows(double[] t, List<Tensor> y) {
        boolean same = true;
        for (double v : t) {
            same &= v == t[0];
        }
        if (same || autonomous()) {
            return apply(t[0], y);
        }
        return RowGroups.byTime(t, y, (time, rows, part) -> apply(time, part));
    }

    /**
     * f for some of the solve's samples at their own times: row i of y is sample {@code samples[i]} of the batch
     * the solve started with, at time t[i]. Per-sample step control calls this with the running samples only.
     * The default ignores which samples they are, right for every field without per-sample data; dynamics that
     * hold data drawn per sample for the whole batch (probe noise) override it to use those samples' rows.
     */
    default List<Tensor> applySamples(int[] samples, double[] t, List<Tensor> y) {
        return applyRows(t, y);
    }

    /** True when f does not depend on t (lets per-sample solves evaluate all rows in one call). */
    default boolean autonomous() {
        return false;
    }

    /** The parameters the gradient methods differentiate with respect to (default: none). */
    default List<Tensor> parameters() {
        return List.of();
    }

    /**
     * True when row b of f depends only on row b of y (no batch statistics, no coupling across samples):
     * required for per-sample step control and for Jacobian regularisers.
     */
    default boolean rowIndependent() {
        return false;
    }

    /** A single-tensor field f(t, y). */
    static Dynamics of(BiFunction<Double, Tensor, Tensor> f, boolean rowIndependent) {
        return new Dynamics() {
            @Override
            public List<Tensor> apply(double t, List<Tensor> y) {
                return List.of(f.apply(t, y.get(0)));
            }

            @Override
            public boolean rowIndependent() {
                return rowIndependent;
            }
        };
    }
}
