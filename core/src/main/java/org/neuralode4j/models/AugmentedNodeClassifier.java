package org.neuralode4j.models;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Parameterized;
import org.neuralode4j.nn.Sequential;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.nn.TimeSequential;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Augmented neural-ODE classifier (Dupont et al. 2019; workloads.md W1): the input is padded with zeros to
 * dimension d, flowed by an autonomous MLP field from t = 0 to 1, and a linear head reads z(1).
 */
public final class AugmentedNodeClassifier implements OdeClassifier {
    private final ClassifierSpec spec;
    private final Parameterized field;
    private final Linear head;
    private final Dynamics dynamics;
    private final List<Parameter> params;

    /** Builds the classifier with PyTorch-default initialisation from {@code rng}. */
    public AugmentedNodeClassifier(ClassifierSpec spec, Rng rng) {
        this.spec = spec;
        int d = spec.inputDim() + spec.augment();
        List<Integer> widths = new ArrayList<>();
        widths.add(d);
        for (int i = 0; i < spec.depth(); i++) {
            widths.add(spec.width());
        }
        widths.add(d);
        if (spec.timeInput() == TimeInput.IGNORE) {
            Sequential mlp = Mlp.of(widths, spec.activation(), rng);
            this.field = mlp;
            this.dynamics = new ModuleField(mlp);
        } else {
            TimeSequential mlp = Mlp.field(new Mlp.FieldConfig(widths, spec.timeInput(), spec.activation(), false), rng);
            this.field = mlp;
            this.dynamics = new TimeField(mlp);
        }
        this.head = new Linear(d, spec.outputs(), true, rng);
        // Built once: optimisers key their state on the Parameter objects.
        List<Parameter> p = new ArrayList<>();
        for (Parameter q : field.parameters()) {
            p.add(q.prefixed("field"));
        }
        for (Parameter q : head.parameters()) {
            p.add(q.prefixed("head"));
        }
        this.params = java.util.Collections.unmodifiableList(p);
    }

    /** As {@link #AugmentedNodeClassifier(ClassifierSpec, Rng)} with t ignored and the given sizes. */
    public AugmentedNodeClassifier(int inputDim, int augment, int width, int hidden, int outputs, Activation act, Rng rng) {
        this(new ClassifierSpec(inputDim, augment, width, hidden, act, TimeInput.IGNORE, outputs == 1 ? 2 : outputs), rng);
    }

    public ClassifierSpec spec() {
        return spec;
    }

    /** z(0) = (x, 0): [B, inputDim] → [B, inputDim + augment]. */
    public Tensor augment(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != spec.inputDim()) {
            throw new org.neuralode4j.tensor.ShapeException("classifier: input of shape " + x.shape() + ", expected [B, "
                    + spec.inputDim() + "]");
        }
        if (spec.augment() == 0) {
            return x;
        }
        return Ops.concat(List.of(x, Tensor.zeros(x.dim(0), spec.augment())), 1);
    }

    /** Solves the flow for x and returns the solution (z(1) in {@code last(0)}). */
    @Override
    public Solution flow(Tensor x, SolverConfig cfg, GradientMethod method) {
        return Ode.solve(dynamics, List.of(augment(x)), new double[] {0, 1}, cfg, method);
    }

    /**
     * Solves the flow with regulariser channels (regularisers.md §2): {@code last(0)} is z(1), {@code last(1..m)}
     * the channels; {@code regs.penalty(last)} gives the weighted loss term. The noise is drawn from {@code noise}.
     */
    @Override
    public Solution flow(Tensor x, SolverConfig cfg, GradientMethod method, RegularisedDynamics regs) {
        return Ode.solve(regs, regs.initialState(augment(x)), new double[] {0, 1}, cfg, method);
    }

    /** This model's field with the given regularisers, for one solve on a batch of {@code batch} rows. */
    @Override
    public RegularisedDynamics regularised(List<org.neuralode4j.regularize.Regulariser> regs, int batch, Rng noise) {
        return regularised(regs, batch, noise, RegularisedDynamics.ChannelScope.PER_SAMPLE);
    }

    /** As above, with the channels per sample or as batch means ({@link RegularisedDynamics.ChannelScope}). */
    public RegularisedDynamics regularised(List<org.neuralode4j.regularize.Regulariser> regs, int batch, Rng noise,
                                           RegularisedDynamics.ChannelScope scope) {
        return new RegularisedDynamics(dynamics, regs, batch, spec.inputDim() + spec.augment(), noise, 1.0, scope);
    }

    /** Logits of the head on a solved flow. */
    @Override
    public Tensor logits(Solution s) {
        return head.forward(s.last(0));
    }

    public Dynamics dynamics() {
        return dynamics;
    }

    /** Every trainable parameter: field then head, named {@code field.…} and {@code head.…}. */
    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public int inputDim() {
        return spec.inputDim();
    }

    @Override
    public int classes() {
        return spec.classes();
    }
}
