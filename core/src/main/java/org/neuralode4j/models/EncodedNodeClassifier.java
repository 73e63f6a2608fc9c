package org.neuralode4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Sequential;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * A neural-ODE classifier for high-dimensional inputs: a linear encoder D→d gives z(0) (no activation), an
 * autonomous MLP field d→width→…→d flows it over [0, 1], and a linear head d→classes reads z(1). This is the image
 * model of claims.md §1 (Josias &amp; Brink 2022 on a Fashion-MNIST pair: encoder 784→16, field 16→64→64→16 tanh),
 * where the Jacobian and condition-number penalties act on the d×d Jacobian of the field. Initialisation is
 * PyTorch's default (workloads.md §0), drawn in the order encoder, field, head.
 */
public final class EncodedNodeClassifier implements NodeClassifier {
    /**
     * The architecture.
     *
     * @param inputDim   features per sample (784 for a 28×28 image)
     * @param stateDim   d, the width of the encoded state the ODE flows
     * @param width      hidden width of the field
     * @param depth      hidden layers of the field
     * @param activation hidden activation of the field
     * @param classes    number of classes (2: one logit with BCE; more: one per class)
     */
    public record Spec(int inputDim, int stateDim, int width, int depth, Activation activation, int classes) {
        public Spec {
            if (inputDim < 1 || stateDim < 1 || width < 1) {
                throw new ConfigException("encoded classifier: inputDim, stateDim and width must be >= 1 (got "
                        + inputDim + ", " + stateDim + ", " + width + ")");
            }
            if (depth < 0) {
                throw ConfigException.of("depth", depth, "must be >= 0");
            }
            if (classes < 2) {
                throw ConfigException.of("classes", classes, "need at least 2 classes in the labels");
            }
            if (activation == null) {
                throw new ConfigException("encoded classifier: the field's activation is required");
            }
        }

        /** Head outputs: 1 logit for binary tasks, one per class otherwise. */
        public int outputs() {
            return classes == 2 ? 1 : classes;
        }
    }

    private final Spec spec;
    private final Linear encoder;
    private final Sequential field;
    private final Linear head;
    private final Dynamics dynamics;
    private final List<Parameter> params;

    public EncodedNodeClassifier(Spec spec, Rng rng) {
        this.spec = spec;
        int d = spec.stateDim();
        this.encoder = new Linear(spec.inputDim(), d, true, rng);
        List<Integer> widths = new ArrayList<>();
        widths.add(d);
        for (int i = 0; i < spec.depth(); i++) {
            widths.add(spec.width());
        }
        widths.add(d);
        this.field = Mlp.of(widths, spec.activation(), rng);
        this.dynamics = new ModuleField(field);
        this.head = new Linear(d, spec.outputs(), true, rng);
        // Built once: optimisers key their state on the Parameter objects.
        List<Parameter> p = new ArrayList<>();
        encoder.parameters().forEach(q -> p.add(q.prefixed("encoder")));
        field.parameters().forEach(q -> p.add(q.prefixed("field")));
        head.parameters().forEach(q -> p.add(q.prefixed("head")));
        this.params = Collections.unmodifiableList(p);
    }

    public Spec spec() {
        return spec;
    }

    @Override
    public int inputDim() {
        return spec.inputDim();
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    @Override
    public int stateDim() {
        return spec.stateDim();
    }

    /** z(0) = W_enc x + b_enc. */
    @Override
    public Tensor initialState(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != spec.inputDim()) {
            throw new ShapeException("encoded classifier: input of shape " + x.shape() + ", expected [B, "
                    + spec.inputDim() + "]");
        }
        return encoder.forward(x);
    }

    @Override
    public Dynamics dynamics() {
        return dynamics;
    }

    @Override
    public Tensor logits(Solution s) {
        return head.forward(s.last(0));
    }

    /** encoder.…, field.…, head.…, in that order. */
    @Override
    public List<Parameter> parameters() {
        return params;
    }
}
