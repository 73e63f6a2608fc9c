package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The augmented right-hand side of one CNF block for one solve (cnf.md §1.1, §3.1; regularisers.md §2.4):
 * <pre>
 *   state (z, ℓ [, E] [, N]):   dz/dt = f,   dℓ/dt = −tr(∂f/∂z),   dE/dt = s·c_K‖f‖²,   dN/dt = s·c_J‖εᵀ∂f/∂z‖²
 * </pre>
 * with s = sign(t1 − t0), so that the channels grow in either direction; ℓ is an ordinary ODE component (no
 * factor: a reverse solve simply runs its equation backwards, which is what sampling with log-density needs).
 *
 * <p>One instance per solve: the probes ε are drawn at construction, so every evaluation of the solve — rejected
 * steps, dense output, and the adjoint's backward pass, which calls this same object — sees the same ε
 * (regularisers.md §2.5). Every quantity is computed at most once per evaluation: one forward pass of f, then
 * either the D rows of J (exact trace; they also give the exact ‖J‖²_F) or the single v = εᵀJ (Hutchinson trace,
 * shared with N), plus one vjp with N's own probe only for exact trace + OWN_PROBE.
 *
 * <p>The vjps are recorded (create-graph) when the caller records — DIRECT training and the adjoints' backward
 * evaluations — so that ℓ, E and N can be differentiated; in a values-only solve (an adjoint's forward pass,
 * evaluation) they are plain first-order sweeps and the results are detached.
 *
 * <p>Learned T ({@link EndTime}): the state is solved in s ∈ [0, 1] with every right-hand side multiplied by T(q)
 * and the field read at t = s·T(q), so q is one more parameter of this dynamics.
 */
final class CnfDynamics implements Dynamics {
    private final FlowField field;
    private final EndTime end;
    private final Parameter q;
    private final Divergence divergence;
    private final RnodeChannels channels;
    private final double direction;
    private final boolean density;
    /** Drawn in float64; converted once to the state's dtype at the first evaluation (same draws, rounded). */
    private Tensor eps;
    private Tensor epsJacobian;
    private final boolean needRows;
    private final int batch;
    /** The closed-form evaluation of a ConcatSquash MLP field (fixed T only), or null for autodiff. */
    private final ClosedFormField closed;

    /**
     * @param field      f
     * @param end        the block's end time
     * @param q          the learned-T scalar (shape [1]), or null for a fixed T
     * @param divergence the resolved estimator, or null to integrate z only (sampling without log-density)
     * @param channels   RNODE channels (empty for evaluation)
     * @param batch      B
     * @param dim        D
     * @param noise      generator of this solve's probes
     * @param direction  sign(t1 − t0)
     */
    CnfDynamics(FlowField field, EndTime end, Parameter q, Divergence divergence, RnodeChannels channels, int batch, int dim,
                Rng noise, double direction) {
        if (divergence == null && !channels.isEmpty()) {
            throw new ConfigException("cnf: regulariser channels need the log-density channel (a divergence estimator)");
        }
        if (divergence != null && divergence.kind() == Divergence.Kind.AUTO) {
            throw new IllegalStateException("cnf: resolve the AUTO divergence before building the dynamics");
        }
        if (end.learned() != (q != null)) {
            throw new IllegalStateException("cnf: a learned end time needs its parameter, a fixed one none");
        }
        this.field = field;
        this.end = end;
        this.q = q;
        this.divergence = divergence;
        this.channels = channels;
        this.direction = direction < 0 ? -1.0 : 1.0;
        this.batch = batch;
        this.density = divergence != null;
        boolean exact = density && divergence.isExact();
        boolean hutch = density && !exact;
        // Draw order: the trace's probe, then the Jacobian channel's own probe.
        this.eps = hutch ? divergence.noise().draw(noise, batch, dim) : null;
        boolean ownProbe = exact && channels.jacobian()
                && channels.exactTraceJacobian() == RnodeChannels.ExactTraceJacobian.OWN_PROBE;
        this.epsJacobian = ownProbe ? ProbeNoise.GAUSSIAN.draw(noise, batch, dim) : null;
        this.needRows = exact;
        ClosedFormField cf = null;
        if (q == null && field instanceof FlowField.ModuleField mf && mf.closedForm()) {
            cf = ClosedFormField.of(mf.module());
            if (cf != null && cf.inputDim() != dim) {
                cf = null;
            }
        }
        this.closed = cf;
    }

    /** True when evaluations use the closed form rather than autodiff. */
    boolean closedForm() {
        return closed != null;
    }

    /** Number of state components: z, then ℓ, E, N as present. */
    int components() {
        return 1 + (density ? 1 : 0) + (channels.kinetic() ? 1 : 0) + (channels.jacobian() ? 1 : 0);
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        DType dtype = y.get(0).dtype();
        if (eps != null && eps.dtype() != dtype) {
            eps = eps.to(dtype);
        }
        if (epsJacobian != null && epsJacobian.dtype() != dtype) {
            epsJacobian = epsJacobian.to(dtype);
        }
        if ((eps != null || epsJacobian != null) && y.get(0).dim(0) != batch) {
            throw new ConfigException("cnf: the Hutchinson probes are drawn for the whole batch of " + batch + " rows, but "
                    + y.get(0).dim(0) + " rows were evaluated without saying which samples they are (applySamples)");
        }
        return evaluate(t, y, eps, epsJacobian);
    }

    /**
     * Per-sample step control: the running samples at their own times, each with its own rows of the probes, so a
     * sample's log-density and channels are the ones it has when solved alone.
     */
    @Override
    public List<Tensor> applySamples(int[] samples, double[] t, List<Tensor> y) {
        Tensor e = eps == null ? null : Ops.indexSelect(eps, samples);
        Tensor ej = epsJacobian == null ? null : Ops.indexSelect(epsJacobian, samples);
        if (field.autonomous()) {
            return evaluate(t[0], y, e, ej);
        }
        if (closed != null) {
            // One closed-form call with a time per row, whatever the spread of the samples' times.
            return applyClosedForm(Double.NaN, t, y.get(0), e, ej);
        }
        return org.neuralode4j.ode.RowGroups.byTime(t, y, (time, rows, part) -> evaluate(time, part,
                e == null ? null : Ops.indexSelect(e, rows), ej == null ? null : Ops.indexSelect(ej, rows)));
    }

    /** The right-hand side with the given probes (rows matching y). */
    private List<Tensor> evaluate(double t, List<Tensor> y, Tensor eps, Tensor epsJacobian) {
        if (closed != null) {
            return applyClosedForm(t, null, y.get(0), eps, epsJacobian);
        }
        boolean recording = GradMode.isEnabled();
        boolean needsVjp = density;
        // The vjps need recording even in a values-only solve; the results are detached below then.
        try (GradMode.Scope ignored = GradMode.set(recording || needsVjp)) {
            Tensor z = y.get(0);
            if (needsVjp && !z.requiresGrad()) {
                z = z.requiringGrad();
            }
            Tensor scale = q == null ? null : end.time(q.value());
            Tensor time = scale == null ? Tensor.scalar(z.dtype(), t) : Ops.mul(scale, t);
            Tensor f;
            try (GradMode.Scope hint = recording && needsVjp ? GradMode.expectHigherOrder() : null) {
                f = field.apply(time, z);
            }
            Tensor[] rows = needRows ? Divergence.rows(f, z, recording) : null;
            Tensor v = eps != null ? Divergence.vjp(f, z, eps, recording) : null;
            Tensor vOwn = epsJacobian != null ? Divergence.vjp(f, z, epsJacobian, recording) : null;
            List<Tensor> out = new ArrayList<>(components());
            try (GradMode.Scope rest = GradMode.set(recording)) {
                out.add(f);
                if (density) {
                    out.add(Ops.neg(rows != null ? Divergence.traceOfRows(rows) : Divergence.traceOfProbe(v, eps)));
                }
                if (channels.kinetic()) {
                    out.add(signed(channels.kineticIntegrand(f)));
                }
                if (channels.jacobian()) {
                    Tensor g = vOwn != null ? channels.jacobianIntegrand(vOwn)
                            : v != null ? channels.jacobianIntegrand(v) : channels.jacobianIntegrand(rows);
                    out.add(signed(g));
                }
                if (scale != null) {
                    out.replaceAll(c -> Ops.mul(c, scale));
                }
                if (!recording) {
                    out.replaceAll(Tensor::detach);
                }
            }
            return out;
        }
    }

    /**
     * The same right-hand side through {@link ClosedFormField}: the probes (the D unit vectors for the exact trace,
     * ε for Hutchinson, N's own ε) are stacked into one pass; the outputs are packed into one recorded tensor whose
     * rule is the closed-form reverse sweep (first order: enough for DIRECT and for the adjoints' backward
     * evaluations, which sweep once through each evaluation).
     */
    private List<Tensor> applyClosedForm(double t, double[] tRows, Tensor zt, Tensor eps, Tensor epsJacobian) {
        int rows = zt.dim(0);
        int d = zt.dim(1);
        // Probes: trace probes first, then N's own probe.
        int traceProbes = !density ? 0 : needRows ? d : 1;
        int count = traceProbes + (epsJacobian != null ? 1 : 0);
        double[] probes = null;
        boolean[] inTrace = new boolean[count];
        boolean[] inJac = new boolean[count];
        if (count > 0) {
            probes = new double[count * rows * d];
            if (needRows) {
                for (int i = 0; i < d; i++) {
                    for (int r = 0; r < rows; r++) {
                        probes[(i * rows + r) * d + i] = 1.0;
                    }
                    inTrace[i] = true;
                    inJac[i] = channels.jacobian() && epsJacobian == null;
                }
            } else if (density) {
                eps.copyTo(0, probes, 0, rows * d);
                inTrace[0] = true;
                inJac[0] = channels.jacobian();
            }
            if (epsJacobian != null) {
                epsJacobian.copyTo(0, probes, traceProbes * rows * d, rows * d);
                inJac[count - 1] = true;
            }
        }
        boolean record = GradMode.isEnabled();
        // Scratch arrays when nothing is recorded, or when the recording is swept back before the next evaluation.
        boolean reuse = !record || GradMode.singleBackwardExpected();
        double[] f;
        double[] v;
        ReverseSweep sweep;
        if (tRows != null) {
            // A time per row (per-sample control).
            ClosedFormField.RowsForward fw = closed.forwardRows(tRows, zt.toArray(), rows, probes, count, reuse);
            f = fw.f;
            v = fw.probeProducts();
            sweep = fw::backward;
        } else {
            ClosedFormField.Forward<?> fw = closed.forward(zt.dtype(), t, zt.toArray(), rows, probes, count, reuse);
            f = fw.f;
            v = count > 0 ? fw.probeProducts() : null;
            sweep = fw::backward;
        }
        double cK = channels.normalisation() == RnodeChannels.Normalisation.SUM ? 1.0 : 0.5 / d;
        double cJ = channels.normalisation() == RnodeChannels.Normalisation.SUM ? 1.0 : 1.0 / d;
        int width = d + (density ? 1 : 0) + (channels.kinetic() ? 1 : 0) + (channels.jacobian() ? 1 : 0);
        double[] packed = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double ke = 0;
            for (int i = 0; i < d; i++) {
                double fi = f[r * d + i];
                packed[o + i] = fi;
                ke += fi * fi;
            }
            int at = o + d;
            if (density) {
                double tr = 0;
                double jf = 0;
                for (int p = 0; p < count; p++) {
                    int base = (p * rows + r) * d;
                    for (int i = 0; i < d; i++) {
                        double vi = v[base + i];
                        if (inTrace[p]) {
                            tr += vi * probes[base + i];
                        }
                        if (inJac[p]) {
                            jf += vi * vi;
                        }
                    }
                }
                packed[at++] = -tr;
                if (channels.kinetic()) {
                    packed[at++] = direction * cK * ke;
                }
                if (channels.jacobian()) {
                    packed[at] = direction * cJ * jf;
                }
            }
        }
        Tensor out = Tensor.of(zt.dtype(), packed, rows, width);
        if (record) {
            List<org.neuralode4j.nn.Parameter> ps = closed.parameters();
            Tensor[] inputs = new Tensor[1 + ps.size()];
            inputs[0] = zt;
            for (int i = 0; i < ps.size(); i++) {
                inputs[i + 1] = ps.get(i).value();
            }
            double[] probeValues = probes;
            boolean kinetic = channels.kinetic();
            boolean jacobian = channels.jacobian();
            out = org.neuralode4j.autodiff.Autograd.record("cnfClosedForm", out, (n, g, needs) -> {
                if (GradMode.isEnabled()) {
                    throw new org.neuralode4j.autodiff.AutodiffException("grad: the closed-form CNF field is first-order only"
                            + " (createGraph=true through it is not supported); build the field with FlowField.autodiff"
                            + " for higher-order gradients through a solve");
                }
                double[] gv = g.toArray();
                double[] fBar = new double[rows * d];
                double[] vBar = count > 0 ? new double[count * rows * d] : null;
                for (int r = 0; r < rows; r++) {
                    int o = r * width;
                    int at = o + d;
                    double lBar = density ? gv[at++] : 0;
                    double eBar = kinetic ? gv[at++] : 0;
                    double nBar = jacobian ? gv[at] : 0;
                    double kScale = 2 * direction * cK * eBar;
                    for (int i = 0; i < d; i++) {
                        fBar[r * d + i] = gv[o + i] + kScale * f[r * d + i];
                    }
                    double jScale = 2 * direction * cJ * nBar;
                    for (int p = 0; p < count; p++) {
                        int base = (p * rows + r) * d;
                        for (int i = 0; i < d; i++) {
                            double vb = 0;
                            if (inTrace[p]) {
                                vb -= lBar * probeValues[base + i];
                            }
                            if (inJac[p]) {
                                vb += jScale * v[base + i];
                            }
                            vBar[base + i] = vb;
                        }
                    }
                }
                List<Tensor> grads = closed.gradientTensors(sweep.backward(fBar, vBar), n.input(0));
                Tensor[] result = new Tensor[grads.size()];
                for (int i = 0; i < result.length; i++) {
                    result[i] = needs[i] ? grads.get(i) : null;
                }
                return result;
            }, inputs);
        }
        List<Tensor> comps = new ArrayList<>(components());
        comps.add(Ops.slice(out, 1, 0, d));
        for (int c = d; c < width; c++) {
            comps.add(Ops.slice(out, 1, c, c + 1));
        }
        return comps;
    }

    /** The closed form's reverse sweep of one evaluation: (f̄, v̄) to z̄ and the parameters' gradients. */
    @FunctionalInterface
    private interface ReverseSweep {
        double[][] backward(double[] fBar, double[] vBar);
    }

    private Tensor signed(Tensor g) {
        return direction > 0 ? g : Ops.neg(g);
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> ps = new ArrayList<>(field.parameterTensors());
        if (q != null) {
            ps.add(q.value());
        }
        return ps;
    }

    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public boolean autonomous() {
        return field.autonomous();
    }
}
