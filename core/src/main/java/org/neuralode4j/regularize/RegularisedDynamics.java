package org.neuralode4j.regularize;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * A field with its regulariser channels (regularisers.md §2): state (z, r_1..r_m), right-hand side
 * (f, s·g_1, …, s·g_m). One instance per solve: it draws the Hutchinson noise ε once at construction, so every
 * evaluation of the solve — rejected steps, dense output and the adjoint's backward pass — sees the same ε.
 *
 * <p>The vector–Jacobian product v = εᵀ ∂f/∂z is recorded (create-graph), so the channels can be differentiated
 * with respect to θ and z by every gradient method.
 */
public final class RegularisedDynamics implements Dynamics {
    private final Dynamics base;
    private final List<Regulariser> regs;
    /** Drawn in float64 at construction; takes the state's dtype in {@link #initialState} (same draws, rounded). */
    private Tensor eps;
    private final double direction;
    private final boolean needsRows;
    private final ChannelScope scope;

    /**
     * How the channels are held. PER_SAMPLE (the library's and workloads.md's definition): r_k [B, 1], one value per
     * sample, so each sample's integration error enters step control. BATCH_MEAN: one scalar [1, 1] per regulariser
     * integrating the batch mean of the integrand, as a harness with scalar channels has it. The loss is the same
     * (the batch mean of r_k(t1) either way); only the error norm differs, and with it the steps taken.
     */
    public enum ChannelScope { PER_SAMPLE, BATCH_MEAN }

    /**
     * @param base      the field, one state component [B, D]
     * @param regs      the active regularisers (λ &gt; 0)
     * @param batch     B
     * @param dim       D
     * @param noise     generator for ε (drawn here, once)
     * @param direction sign(t1 − t0): channels grow in either direction
     */
    public RegularisedDynamics(Dynamics base, List<Regulariser> regs, int batch, int dim, Rng noise, double direction) {
        this(base, regs, batch, dim, noise, direction, ChannelScope.PER_SAMPLE);
    }

    /** As above, with the channels held per sample or as batch means ({@link ChannelScope}). */
    public RegularisedDynamics(Dynamics base, List<Regulariser> regs, int batch, int dim, Rng noise, double direction,
                               ChannelScope scope) {
        this.scope = scope;
        if (!base.rowIndependent()) {
            throw ConfigException.of("regularisers", regs, "Jacobian and kinetic channels need a row-independent field");
        }
        this.base = base;
        this.regs = List.copyOf(regs);
        this.direction = Math.signum(direction) == 0 ? 1.0 : Math.signum(direction);
        boolean needs = false;
        JacobianFrobenius.Noise kind = JacobianFrobenius.Noise.GAUSSIAN;
        for (Regulariser r : regs) {
            if (r.needsNoiseProduct()) {
                needs = true;
                if (r instanceof JacobianFrobenius) {
                    kind = ((JacobianFrobenius) r).noise();
                }
            }
        }
        this.needsRows = regs.stream().anyMatch(Regulariser::needsJacobian);
        this.eps = !needs ? null : kind == JacobianFrobenius.Noise.RADEMACHER ? noise.rademacher(batch, dim) : noise.normal(batch, dim);
    }

    /** The initial channels: zeros [B, 1] (or [1, 1] for batch-mean channels) per regulariser, after z0. */
    public List<Tensor> initialState(Tensor z0) {
        List<Tensor> s = new ArrayList<>();
        s.add(z0);
        if (eps != null) {
            eps = eps.to(z0.dtype());
        }
        for (int i = 0; i < regs.size(); i++) {
            s.add(Tensor.zeros(z0.dtype(), scope == ChannelScope.PER_SAMPLE ? z0.dim(0) : 1, 1));
        }
        return s;
    }

    /** Σ_k λ_k · mean_b r_k(t1) from a solve's final state. */
    public Tensor penalty(List<Tensor> last) {
        Tensor total = null;
        for (int k = 0; k < regs.size(); k++) {
            Tensor term = Ops.mul(Ops.mean(last.get(1 + k)), regs.get(k).weight());
            total = total == null ? term : Ops.add(total, term);
        }
        return total;
    }

    public List<Regulariser> regularisers() {
        return regs;
    }

    /** The noise of this solve, or null. */
    public Tensor noise() {
        return eps;
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        if (eps != null && y.get(0).dim(0) != eps.dim(0)) {
            throw new ConfigException("regularisers: the Hutchinson noise is drawn for " + eps.dim(0) + " rows, but "
                    + y.get(0).dim(0) + " rows were evaluated without saying which samples they are (applySamples)");
        }
        return evaluate(y, eps, z -> base.apply(t, List.of(z)).get(0));
    }

    /**
     * Per-sample step control evaluates the running samples only, each at its own time: they keep their own rows
     * of ε, so a sample's channels are the ones it has when solved alone.
     */
    @Override
    public List<Tensor> applySamples(int[] samples, double[] t, List<Tensor> y) {
        Tensor e = eps == null ? null : Ops.indexSelect(eps, samples);
        return evaluate(y, e, z -> base.applySamples(samples, t, List.of(z)).get(0));
    }

    private List<Tensor> evaluate(List<Tensor> y, Tensor eps, java.util.function.UnaryOperator<Tensor> field) {
        // The vjp needs recording even when the caller does not record (an adjoint's forward solve); then the
        // results are detached so that no graph outlives the evaluation.
        boolean recording = GradMode.isEnabled();
        try (GradMode.Scope ignored = GradMode.enableGrad()) {
            Tensor z = y.get(0).requiresGrad() ? y.get(0) : y.get(0).requiringGrad();
            Tensor f;
            try (GradMode.Scope hint = eps != null || needsRows ? GradMode.expectHigherOrder() : null) {
                f = field.apply(z);
            }
            Tensor v = null;
            if (eps != null) {
                v = Autograd.grad(List.of(f), List.of(z), List.of(eps), true, true).get(0);
            }
            Tensor[] rows = null;
            if (needsRows) {
                // Row i of every sample's J: one vjp with cotangent e_i in each row.
                int d = z.dim(1);
                rows = new Tensor[d];
                for (int i = 0; i < d; i++) {
                    double[] e = new double[z.size()];
                    for (int b = 0; b < z.dim(0); b++) {
                        e[b * d + i] = 1.0;
                    }
                    rows[i] = Autograd.grad(List.of(f), List.of(z), List.of(Tensor.of(z.dtype(), e, z.dim(0), d)), true, true).get(0);
                }
            }
            List<Tensor> out = new ArrayList<>(1 + regs.size());
            out.add(f);
            for (Regulariser r : regs) {
                Tensor g = r.integrand(z, f, v, rows);
                if (scope == ChannelScope.BATCH_MEAN) {
                    g = Ops.mul(Ops.sumTo(g, org.neuralode4j.tensor.Shape.of(1, 1)), 1.0 / g.dim(0));
                }
                out.add(direction > 0 ? g : Ops.neg(g));
            }
            if (!recording) {
                out.replaceAll(Tensor::detach);
            }
            return out;
        }
    }

    @Override
    public List<Tensor> parameters() {
        return base.parameters();
    }

    /** Per-sample channels keep rows independent; batch-mean channels couple them. */
    @Override
    public boolean rowIndependent() {
        return scope == ChannelScope.PER_SAMPLE;
    }

    @Override
    public boolean autonomous() {
        return base.autonomous();
    }
}
