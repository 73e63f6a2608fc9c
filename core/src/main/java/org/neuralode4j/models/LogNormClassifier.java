package org.neuralode4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Module;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.stability.DenseBlock;
import org.neuralode4j.stability.FieldActivation;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * The classifier of De Marinis, Guglielmi, Sicilia, Tudisco (2025) as stability.md §5 fixes it: an encoder
 * Linear d→n followed by tanh gives z(0); the autonomous dense block ż = tanh(Az + b), A initialised N(0, 1/n)
 * entrywise and b = 0, flows it over [0, 1] (classical RK4 with 10 steps by default; the caller's solver setting);
 * a linear head n→classes reads z(1). The block is the part the stabiliser perturbs (§2.2: A only).
 */
public final class LogNormClassifier implements NodeClassifier {
    private final LogNormSpec spec;
    private final Linear encoder;
    private final Linear block;
    private final Linear head;
    private final Dynamics dynamics;
    private final List<Parameter> params;

    /** Builds the classifier: encoder and head with PyTorch-default initialisation, then A ~ N(0, 1/n), b = 0. */
    public LogNormClassifier(LogNormSpec spec, Rng rng) {
        this.spec = spec;
        int n = spec.stateDim();
        this.encoder = new Linear(spec.inputDim(), n, true, rng);
        this.block = new Linear(n, n, true, rng);
        block.weight().set(rng.normal(0, 1 / Math.sqrt(n), n, n));
        block.bias().orElseThrow().set(Tensor.zeros(n));
        this.head = new Linear(n, spec.outputs(), true, rng);
        this.dynamics = new ModuleField(new TanhBlock(block));
        List<Parameter> p = new ArrayList<>();
        for (Parameter q : encoder.parameters()) {
            p.add(q.prefixed("encoder"));
        }
        for (Parameter q : block.parameters()) {
            p.add(q.prefixed("block"));
        }
        for (Parameter q : head.parameters()) {
            p.add(q.prefixed("head"));
        }
        this.params = Collections.unmodifiableList(p);
    }

    /** ż = tanh(zAᵀ + b) row-wise, i.e. tanh(Az + b) per sample, with the fused linear-tanh op. */
    private record TanhBlock(Linear layer) implements Module {
        @Override
        public Tensor forward(Tensor z) {
            return layer.forwardTanh(z);
        }

        @Override
        public List<Parameter> parameters() {
            return layer.parameters();
        }
    }

    public LogNormSpec spec() {
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

    /** z(0) = tanh(W_enc x + b_enc). */
    @Override
    public Tensor initialState(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != spec.inputDim()) {
            throw new ShapeException("lognorm classifier: input of shape " + x.shape() + ", expected [B, "
                    + spec.inputDim() + "]");
        }
        return encoder.forwardTanh(x);
    }

    @Override
    public Dynamics dynamics() {
        return dynamics;
    }

    @Override
    public Tensor logits(Solution s) {
        return head.forward(s.last(0));
    }

    /** encoder.weight, encoder.bias, block.weight (A), block.bias (b), head.weight, head.bias. */
    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** The head's parameters alone (POST_HOC fine-tuning with mode HEAD, stability.md §4.1). */
    public List<Parameter> headParameters() {
        return params.subList(4, params.size());
    }

    /** The dense block in float64 (a copy): A, b and σ = tanh. */
    public DenseBlock denseBlock() {
        int n = spec.stateDim();
        return new DenseBlock(n, block.weight().value().toArray(), block.bias().orElseThrow().value().toArray(),
                FieldActivation.TANH);
    }

    /** Replaces A (row-major n×n), e.g. by the stabilised A0 + Δ. */
    public void setBlockMatrix(double[] a) {
        int n = spec.stateDim();
        block.weight().set(Tensor.of(a.clone(), n, n));
    }
}
