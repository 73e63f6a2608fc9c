package org.neuralode4j.cnf;

import java.util.List;
import java.util.function.Function;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Parameterized;
import org.neuralode4j.nn.TimeModule;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The per-sample velocity field f(t, z; θ) of a CNF block (cnf.md §1.1), usually a ConcatSquash MLP
 * (regularisers.md §6). Rows must be independent (no batch statistics): the divergence is taken row by row.
 *
 * <p>t is a one-element tensor so that a learned end time can reach the field through t = s·T; a fixed-T solve
 * passes a constant.
 */
public interface FlowField extends Parameterized {
    /**
     * @param t one-element tensor, the time shared by the batch
     * @param z state [B, D]
     * @return f [B, D], recorded from z and the parameters
     */
    Tensor apply(Tensor t, Tensor z);

    /** True when f does not depend on t. */
    default boolean autonomous() {
        return false;
    }

    /**
     * A time-conditioned module (e.g. {@link Mlp#field}) as a flow field. A ConcatSquash MLP with tanh or softplus
     * (the FFJORD/RNODE fields) is evaluated in closed form by the CNF ({@code ClosedFormField}: same values,
     * several times faster, first-order differentiable through the solve); other modules by autodiff.
     */
    static FlowField of(TimeModule module) {
        return new ModuleField(module, true);
    }

    /** As {@link #of}, but always evaluated by autodiff (reference path; higher-order gradients through a solve). */
    static FlowField autodiff(TimeModule module) {
        return new ModuleField(module, false);
    }

    /** A ConcatSquash (or CONCAT, IGNORE) MLP field built from {@code rng}. */
    static FlowField mlp(Mlp.FieldConfig config, Rng rng) {
        return of(Mlp.field(config, rng));
    }

    /** A module as a field; {@code closedForm} allows the CNF's closed-form evaluation when the module supports it. */
    record ModuleField(TimeModule module, boolean closedForm) implements FlowField {
        @Override
        public Tensor apply(Tensor t, Tensor z) {
            return module.forward(t, z);
        }

        @Override
        public List<Parameter> parameters() {
            return module.parameters();
        }

        @Override
        public String toString() {
            return module.toString();
        }
    }

    /** An autonomous field f(z) that reads the given parameters (closed-form test fields, f = zAᵀ). */
    static FlowField autonomous(List<Parameter> parameters, Function<Tensor, Tensor> f) {
        List<Parameter> ps = List.copyOf(parameters);
        return new FlowField() {
            @Override
            public Tensor apply(Tensor t, Tensor z) {
                return f.apply(z);
            }

            @Override
            public List<Parameter> parameters() {
                return ps;
            }

            @Override
            public boolean autonomous() {
                return true;
            }
        };
    }
}
