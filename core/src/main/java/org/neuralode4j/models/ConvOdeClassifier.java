package org.neuralode4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Conv2d;
import org.neuralode4j.nn.Linear;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * Convolutional neural-ODE image classifier, the model of workloads.md §3 (W3): stem conv 3×3 stride 2 → ReLU →
 * conv 3×3 stride 2 → ReLU (28×28 → 14×14 → 7×7), the ODE block {@link ConvField} on [0, 1], then a global
 * average pool over the maps and a linear head (or, as an option, a linear head on all of the maps). Convolutions are cross-correlations with zero padding, as in
 * PyTorch; the layout is NHWC.
 *
 * <p>Inputs are images flattened to rows [B, side²] (pixel/255, row-major, as {@code ImageSet} builds them), so
 * attacks perturb pixels and clip to [0, 1] like any other input box. The parameters, activations and ODE state are
 * in the model's dtype (float64 or float32, the convolutions then run on the float32 kernels); pixels arrive in
 * float64 and are cast once, at {@link #encode}.
 */
public final class ConvOdeClassifier implements NodeClassifier {
    private final ConvClassifierSpec spec;
    private final Conv2d stem1;
    private final Conv2d stem2;
    private final ConvField field;
    private final Linear head;
    private final List<Parameter> params;

    /** Builds the classifier in float64 with PyTorch-default initialisation from {@code rng}: stem, block, then head. */
    public ConvOdeClassifier(ConvClassifierSpec spec, Rng rng) {
        this(spec, rng, DType.F64);
    }

    /**
     * Builds the classifier with PyTorch-default initialisation from {@code rng} (stem, block, then head), its
     * parameters in {@code dtype}: the same draws for either dtype, rounded for f32.
     */
    public ConvOdeClassifier(ConvClassifierSpec spec, Rng rng, DType dtype) {
        this.spec = spec;
        int c = spec.channels();
        this.stem1 = new Conv2d(1, c, 3, 2, 1, true, rng);
        this.stem2 = new Conv2d(c, c, 3, 2, 1, true, rng);
        this.field = new ConvField(spec.mapSide(), c, spec.timeInput() == TimeInput.CONCAT, rng);
        this.head = new Linear(spec.headInputs(), spec.outputs(), true, rng);
        List<Parameter> p = new ArrayList<>();
        stem1.parameters().forEach(q -> p.add(q.prefixed("stem.0")));
        stem2.parameters().forEach(q -> p.add(q.prefixed("stem.2")));
        field.parameterList().forEach(q -> p.add(q.prefixed("field")));
        head.parameters().forEach(q -> p.add(q.prefixed("head")));
        this.params = Collections.unmodifiableList(p);
        to(dtype);
    }

    /** The dtype of the parameters, of the ODE state and of the logits. */
    public DType dtype() {
        return params.get(0).dtype();
    }

    /** Converts every parameter to {@code d} (f64 → f32 rounds to nearest); inputs are then cast to d. Returns this. */
    public ConvOdeClassifier to(DType d) {
        for (Parameter q : params) {
            q.convertTo(d);
        }
        return this;
    }

    public ConvClassifierSpec spec() {
        return spec;
    }

    @Override
    public int inputDim() {
        return spec.side() * spec.side();
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    /** stem.0.*, stem.2.*, field.conv1.*, field.conv2.*, head.*. */
    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /**
     * z(0): the stem's maps of x [B, side²], flattened to [B, stateDim], in the model's dtype. x is cast here, at the
     * model's boundary (a differentiable {@link Ops#cast}, so pixel gradients come back in x's dtype).
     */
    public Tensor encode(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != inputDim()) {
            throw new ShapeException("convolutional classifier: input of shape " + x.shape() + ", expected [B, "
                    + inputDim() + "] (" + spec.side() + "×" + spec.side() + " images as rows)");
        }
        int b = x.dim(0);
        Tensor img = Ops.reshape(Ops.cast(x, dtype()), b, spec.side(), spec.side(), 1);
        Tensor h = Activation.RELU.apply(stem2.forward(Activation.RELU.apply(stem1.forward(img))));
        return Ops.reshape(h, b, spec.stateDim());
    }

    /** z(0) = the stem's maps of x, flattened ({@link #encode}). */
    @Override
    public Tensor initialState(Tensor x) {
        return encode(x);
    }

    @Override
    public int stateDim() {
        return spec.stateDim();
    }

    @Override
    public RegularisedDynamics regularised(List<Regulariser> regs, int batch, Rng noise) {
        return new RegularisedDynamics(field, regs, batch, spec.stateDim(), noise, 1.0);
    }

    /** The linear head on z(1): after a global average pool of its maps, or on all of it ({@link ConvClassifierSpec.Head}). */
    @Override
    public Tensor logits(Solution s) {
        Tensor z = s.last(0);
        if (spec.head() == ConvClassifierSpec.Head.FLATTEN) {
            return head.forward(z);
        }
        int m = spec.mapSide();
        Tensor pooled = Ops.mean(Ops.reshape(z, z.dim(0), m * m, spec.channels()), false, 1);
        return head.forward(pooled);
    }

    /** The ODE block's field (state [B, stateDim]). */
    @Override
    public org.neuralode4j.ode.Dynamics dynamics() {
        return field;
    }
}
