package org.neuralode4j.models;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Sequential;
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
public final class AugmentedNodeClassifier {
    private final int inputDim;
    private final int augment;
    private final Sequential field;
    private final Linear head;
    private final ModuleField dynamics;

    /**
     * @param inputDim features per sample
     * @param augment  zero channels appended
     * @param width    hidden width of the field
     * @param hidden   hidden layers of the field (W1: 2)
     * @param outputs  head outputs (1 for binary)
     */
    public AugmentedNodeClassifier(int inputDim, int augment, int width, int hidden, int outputs, Activation act, Rng rng) {
        this.inputDim = inputDim;
        this.augment = augment;
        int d = inputDim + augment;
        List<Integer> widths = new ArrayList<>();
        widths.add(d);
        for (int i = 0; i < hidden; i++) {
            widths.add(width);
        }
        widths.add(d);
        this.field = Mlp.of(widths, act, rng);
        this.head = new Linear(d, outputs, true, rng);
        this.dynamics = new ModuleField(field);
    }

    /** z(0) = (x, 0): [B, inputDim] → [B, inputDim + augment]. */
    public Tensor augment(Tensor x) {
        if (augment == 0) {
            return x;
        }
        return Ops.concat(List.of(x, Tensor.zeros(x.dim(0), augment)), 1);
    }

    /** Solves the flow for x and returns the solution (z(1) in {@code last(0)}). */
    public Solution flow(Tensor x, SolverConfig cfg, GradientMethod method) {
        return Ode.solve(dynamics, List.of(augment(x)), new double[] {0, 1}, cfg, method);
    }

    /** Logits of the head on a solved flow. */
    public Tensor logits(Solution s) {
        return head.forward(s.last(0));
    }

    public ModuleField dynamics() {
        return dynamics;
    }

    /** Every trainable parameter: field then head. */
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(field.parameters());
        p.addAll(head.parameters());
        return p;
    }

    public int inputDim() {
        return inputDim;
    }
}
