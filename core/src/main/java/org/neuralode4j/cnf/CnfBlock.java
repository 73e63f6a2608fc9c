package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Parameterized;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * One CNF block (cnf.md §1.1, §1.5–1.6): a field f and an end time T. Each block has its own T, its own noise
 * draw and its own solve statistics. Parameters: the field's under {@code field.}, then, for a learned T, the
 * scalar q ({@code sqrt_end_time} for T = q², as FFJORD names it; {@code end_time_raw} for softplus).
 */
public final class CnfBlock implements Parameterized {
    private static final System.Logger LOG = System.getLogger(CnfBlock.class.getName());
    /** Below this T a learned end time is nearly the identity map (cnf.md §1.5): warn. */
    private static final double SMALL_T = 1e-3;

    private final FlowField field;
    private final EndTime end;
    private final Parameter q;
    private final List<Parameter> params;
    private boolean warnedSmallT;

    public CnfBlock(FlowField field, EndTime end) {
        this.field = field;
        this.end = end;
        this.q = end.learned() ? new Parameter(end.parametrisation() == EndTime.Parametrisation.SQUARE ? "sqrt_end_time"
                : "end_time_raw", Tensor.vector(end.initialRaw())) : null;
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : field.parameters()) {
            ps.add(p.prefixed("field"));
        }
        if (q != null) {
            ps.add(q);
        }
        this.params = List.copyOf(ps);
    }

    public FlowField field() {
        return field;
    }

    /** The end-time configuration (for a learned T, its initial value). */
    public EndTime endTimeConfig() {
        return end;
    }

    /** The current T. */
    public double endTime() {
        return q == null ? end.initial() : end.time(q.value().item());
    }

    /** The learned-T scalar q, or null for a fixed T. */
    public Parameter endTimeParameter() {
        return q;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /**
     * Solves this block once.
     *
     * @param state      (z, ℓ, E, N) as present, each [B, ·]
     * @param reverse    false: 0 → T (data → latent); true: T → 0 (sampling)
     * @param divergence the resolved estimator, or null to integrate z only
     * @param channels   RNODE channels (none for evaluation and sampling)
     * @param solver     the solver; its step-control mask is replaced (z, ℓ count; channels per {@code channels})
     * @param method     the gradient method
     * @param noise      generator of this solve's probes
     * @param outputs    number of output times K ≥ 2, evenly spaced over the block (2: start and end only)
     */
    Solution solve(List<Tensor> state, boolean reverse, Divergence divergence, RnodeChannels channels, SolverConfig solver,
                   GradientMethod method, Rng noise, int outputs) {
        double t = endTime();
        if (end.learned() && t < SMALL_T && !warnedSmallT) {
            warnedSmallT = true;
            LOG.log(System.Logger.Level.WARNING, "cnf: learned end time T = " + t + " < " + SMALL_T
                    + ": the block is close to the identity map");
        }
        Tensor z = state.get(0);
        CnfDynamics dyn = new CnfDynamics(field, end, q, divergence, channels, z.dim(0), z.dim(1), noise, reverse ? -1 : 1);
        // A learned T is solved in s ∈ [0, 1] (EndTime); a fixed one in t ∈ [0, T].
        double span = end.learned() ? 1.0 : t;
        double[] times = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            // Forward 0 … T; reverse T … 0, the end points exact.
            double v = k == outputs - 1 ? span : span * k / (outputs - 1);
            times[reverse ? outputs - 1 - k : k] = v;
        }
        List<String> names = new ArrayList<>(List.of("z"));
        boolean[] counted = new boolean[dyn.components()];
        counted[0] = true;
        if (divergence != null) {
            names.add("delta_logp");
            counted[1] = true;
        }
        for (int c = names.size(); c < counted.length; c++) {
            counted[c] = channels.inStepControl();
        }
        if (channels.kinetic()) {
            names.add("kinetic");
        }
        if (channels.jacobian()) {
            names.add("jacobian");
        }
        SolverConfig cfg = solver.isAdaptive() ? solver.withStepControl(solver.stepControl().withCounted(counted)) : solver;
        return Ode.solve(dyn, state, names, times, cfg, method);
    }
}
