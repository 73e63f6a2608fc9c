package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * The augmented right-hand side of one CNF block for one solve (cnf.md §1.1, §3.1; regularisers.md §2.4):
 * <pre>
 *   state (z, ℓ [, E] [, N]):   dz/dt = f,   dℓ/dt = −tr(∂f/∂z),   dE/dt = s·c_K‖f‖²,   dN/dt = s·c_J‖εᵀ∂f/∂z‖²
 * </pre>
 * with s = sign(t1 − t0), so that the channels grow in either direction, while ℓ is a true ODE component (it
 * changes sign of increment with the direction by itself).
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
    private final Tensor eps;
    private final Tensor epsJacobian;
    private final boolean needRows;

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
        this.density = divergence != null;
        boolean exact = density && divergence.isExact();
        boolean hutch = density && !exact;
        // Draw order: the trace's probe, then the Jacobian channel's own probe.
        this.eps = hutch ? divergence.noise().draw(noise, batch, dim) : null;
        boolean ownProbe = exact && channels.jacobian()
                && channels.exactTraceJacobian() == RnodeChannels.ExactTraceJacobian.OWN_PROBE;
        this.epsJacobian = ownProbe ? ProbeNoise.GAUSSIAN.draw(noise, batch, dim) : null;
        this.needRows = exact;
    }

    /** The trace's Hutchinson probe for this solve, or null (exact trace). */
    Tensor probe() {
        return eps;
    }

    /** The Jacobian channel's own probe (exact trace + OWN_PROBE), or null. */
    Tensor jacobianProbe() {
        return epsJacobian;
    }

    /** Number of state components: z, then ℓ, E, N as present. */
    int components() {
        return 1 + (density ? 1 : 0) + (channels.kinetic() ? 1 : 0) + (channels.jacobian() ? 1 : 0);
    }

    @Override
    public List<Tensor> apply(double t, List<Tensor> y) {
        boolean recording = GradMode.isEnabled();
        boolean needsVjp = density;
        // The vjps need recording even in a values-only solve; the results are detached below then.
        try (GradMode.Scope ignored = GradMode.set(recording || needsVjp)) {
            Tensor z = y.get(0);
            if (needsVjp && !z.requiresGrad()) {
                z = z.requiringGrad();
            }
            Tensor scale = q == null ? null : end.time(q.value());
            Tensor time = scale == null ? Tensor.scalar(t) : Ops.mul(scale, t);
            Tensor f = field.apply(time, z);
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
