package org.neuralode4j.cnf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.Parameterized;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.ShapeException;
import org.neuralode4j.tensor.Tensor;

/**
 * A continuous normalising flow (FFJORD: Grathwohl, Chen, Bettencourt, Sutskever &amp; Duvenaud 2019; cnf.md §1):
 * a chain of {@link CnfBlock}s over R^D with a {@link BaseDistribution} at the latent end.
 *
 * <p><b>Sign convention</b> (cnf.md §1.2). Density evaluation integrates from data at t = 0 to latent at t = T
 * with z(0) = x, ℓ(0) = 0 and dℓ/dt = −tr(∂f/∂z), so that ℓ tracks the change of log-density along the path and
 * <pre>  log p_x(x) = log p_base(z(T)) − ℓ(T) = log p_base(z(T)) + ∫₀ᵀ tr J dt.</pre>
 * A flow that expands volume (tr J &gt; 0) raises the data density. Sampling runs the blocks in reverse order
 * from T to 0 and, when asked, carries ℓ from ℓ(T) = log p_base(u), ending at ℓ(0) = log p_x(x).
 *
 * <p><b>Stacking</b> (§1.6): blocks run in order; ℓ and the RNODE channels are threaded through them, so the
 * final values are sums over blocks. Each block draws its own probe and keeps its own statistics.
 *
 * <p>Typical use: {@link #forward} in training (then {@link FlowResult#loss()} and {@code Autograd.grad}),
 * {@link #evaluate} for a held-out NLL, {@link #sample} to decode base draws, {@link DensityGrid} for plots.
 */
public final class ContinuousFlow implements Parameterized {
    private final int dim;
    private final List<CnfBlock> blocks;
    private final BaseDistribution base;
    private final CnfSpec spec;
    private final List<Parameter> params;

    /**
     * A flow of the given blocks (blocks may share a field object: its parameters are then listed once).
     *
     * @param dim    D
     * @param blocks at least one
     * @param base   the latent distribution
     */
    public ContinuousFlow(int dim, List<CnfBlock> blocks, BaseDistribution base) {
        this(dim, blocks, base, null);
    }

    private ContinuousFlow(int dim, List<CnfBlock> blocks, BaseDistribution base, CnfSpec spec) {
        if (dim < 1) {
            throw ConfigException.of("dim", dim, "must be >= 1");
        }
        if (blocks == null || blocks.isEmpty()) {
            throw new ConfigException("continuous flow: at least one CNF block is required");
        }
        this.dim = dim;
        this.blocks = List.copyOf(blocks);
        this.base = base == null ? BaseDistribution.standardNormal() : base;
        this.spec = spec;
        // Built once: optimisers key their state on the Parameter objects.
        List<Parameter> ps = new ArrayList<>();
        Map<FlowField, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < this.blocks.size(); i++) {
            CnfBlock b = this.blocks.get(i);
            if (seen.put(b.field(), Boolean.TRUE) == null) {
                for (Parameter p : b.field().parameters()) {
                    ps.add(p.prefixed("blocks." + i + ".field"));
                }
            }
            if (b.endTimeParameter() != null) {
                ps.add(b.endTimeParameter().prefixed("blocks." + i));
            }
        }
        this.params = Collections.unmodifiableList(ps);
    }

    /** The flow of {@code spec}: each block's field drawn in block order from {@code rng} (PyTorch-default init). */
    public static ContinuousFlow build(CnfSpec spec, Rng rng) {
        return build(spec, rng, true);
    }

    /**
     * As {@link #build(CnfSpec, Rng)}; {@code closedForm = false} makes every field use autodiff
     * ({@link FlowField#autodiff}) instead of the closed-form evaluation: the reference path, for comparisons and
     * for higher-order gradients through a DIRECT solve. Same initial weights either way.
     */
    public static ContinuousFlow build(CnfSpec spec, Rng rng, boolean closedForm) {
        List<CnfBlock> bs = new ArrayList<>();
        for (int i = 0; i < spec.blocks(); i++) {
            org.neuralode4j.nn.TimeSequential module = org.neuralode4j.nn.Mlp.field(spec.fieldConfig(), rng);
            bs.add(new CnfBlock(closedForm ? FlowField.of(module) : FlowField.autodiff(module), spec.endTime()));
        }
        return new ContinuousFlow(spec.dim(), bs, BaseDistribution.standardNormal(), spec);
    }

    /** D, entries per sample. */
    public int dim() {
        return dim;
    }

    public List<CnfBlock> blocks() {
        return blocks;
    }

    public BaseDistribution base() {
        return base;
    }

    /** The architecture this flow was built from, or null for a hand-assembled flow. */
    public CnfSpec spec() {
        return spec;
    }

    /** Every trainable parameter: {@code blocks.i.field.…} and, for learned end times, {@code blocks.i.sqrt_end_time}. */
    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** Each block's current end time. */
    public double[] endTimes() {
        double[] t = new double[blocks.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = blocks.get(i).endTime();
        }
        return t;
    }

    // ---------------------------------------------------------------- likelihood (data → latent)

    /**
     * The likelihood pass x → z(T) with ℓ and the channels (cnf.md §1.2, §1.4, §3.1), differentiable per
     * {@code solve.method()}. Probes are drawn from {@code noise} in block order (one draw per block).
     *
     * @throws ConfigException for a learned T with the kinetic channel unless allowed (cnf.md §1.5)
     */
    public FlowResult forward(Tensor x, CnfSolve solve, Rng noise) {
        checkInput(x, "forward");
        RnodeChannels ch = solve.channels();
        if (ch.kinetic() && !solve.allowLearnedTWithKinetic()) {
            for (CnfBlock b : blocks) {
                if (b.endTimeConfig().learned()) {
                    throw ConfigException.of("channels", "kinetic", "a learned end time with the kinetic channel is refused:"
                            + " the penalty alone drives T upward (cnf.md §1.5); fix T, or set allowLearnedTWithKinetic");
                }
            }
        }
        int b = x.dim(0);
        Divergence div = solve.divergence().resolve(dim);
        // Data arrive in float64; a float32 flow casts them here, at its boundary.
        DType dtype = dtype();
        Tensor z = Ops.cast(x, dtype);
        Tensor l = Tensor.zeros(dtype, b, 1);
        Tensor e = ch.kinetic() ? Tensor.zeros(dtype, b, 1) : null;
        Tensor n = ch.jacobian() ? Tensor.zeros(dtype, b, 1) : null;
        List<SolveStats> stats = new ArrayList<>();
        List<String> est = new ArrayList<>();
        for (CnfBlock block : blocks) {
            List<Tensor> state = new ArrayList<>(4);
            state.add(z);
            state.add(l);
            if (e != null) {
                state.add(e);
            }
            if (n != null) {
                state.add(n);
            }
            Solution s = block.solve(state, false, div, ch, solve.solver(), solve.method(), noise, 2);
            List<Tensor> last = s.last();
            z = last.get(0);
            l = last.get(1);
            int at = 2;
            if (e != null) {
                e = last.get(at++);
            }
            if (n != null) {
                n = last.get(at);
            }
            stats.add(s.stats());
            est.add(div.label());
        }
        Tensor logp = Ops.sub(base.logDensity(z), l);
        return new FlowResult(z, l, e, n, logp, stats, ch, est);
    }

    /**
     * log p_x(x) without gradients for evaluation (cnf.md §1.7, §2.3): DIRECT under no-grad, no channels, the
     * exact divergence when D ≤ {@value Divergence#AUTO_EXACT_MAX_DIM}, otherwise one Gaussian Hutchinson draw per
     * solve from {@code evalNoise} (a generator separate from training's).
     */
    public FlowResult logLikelihood(Tensor x, SolverConfig solver, Rng evalNoise) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return forward(x, CnfSolve.evaluation(solver), evalNoise);
        }
    }

    /**
     * Mean NLL of a fixed set with its NFE (see {@link #logLikelihood}), in chunks of at most {@code chunk} rows
     * (≤ 0: one batch, as W2's evaluation). Adaptive steps are shared within a chunk.
     */
    public DensityEvaluation evaluate(Tensor x, SolverConfig solver, Rng evalNoise, int chunk) {
        checkInput(x, "evaluate");
        int rows = x.dim(0);
        int size = chunk <= 0 ? rows : Math.min(chunk, rows);
        double[] logp = new double[rows];
        long nfe = 0;
        double transport = 0;
        String estimator = null;
        for (int start = 0; start < rows; start += size) {
            int end = Math.min(rows, start + size);
            Tensor part = start == 0 && end == rows ? x : Ops.slice(x.detach(), 0, start, end);
            FlowResult r = logLikelihood(part, solver, evalNoise);
            r.logp().copyTo(0, logp, start, end - start);
            nfe += r.nfeForward();
            transport += r.transportCost(part) * (end - start);
            estimator = r.estimators().get(0);
        }
        double mean = 0;
        for (double v : logp) {
            mean += v;
        }
        mean /= rows;
        double ss = 0;
        for (double v : logp) {
            ss += (v - mean) * (v - mean);
        }
        double se = rows > 1 ? Math.sqrt(ss / (rows - 1) / rows) : Double.NaN;
        return new DensityEvaluation(-mean, se, nfe, estimator, transport / rows, logp);
    }

    /** {@link #evaluate(Tensor, SolverConfig, Rng, int)} in one batch. */
    public DensityEvaluation evaluate(Tensor x, SolverConfig solver, Rng evalNoise) {
        return evaluate(x, solver, evalNoise, 0);
    }

    // ---------------------------------------------------------------- sampling (latent → data)

    /** n draws u ~ p_base decoded to data space (cnf.md §1.4, §5.4); see {@link #inverse}. */
    public FlowSample sample(int n, Rng rng, SolverConfig solver, boolean withLogDensity) {
        if (n < 1) {
            throw ConfigException.of("samples", n, "must be >= 1");
        }
        return inverse(base.sample(rng, n, dim), solver, withLogDensity);
    }

    /**
     * Decodes latent points u by solving each block from T to 0, last block first, without gradients. With
     * {@code withLogDensity} it also carries ℓ from ℓ(T) = log p_base(u) (exact divergence for small D, otherwise
     * Gaussian Hutchinson from a fixed generator), giving log p_x(x) = ℓ(0); without it only z is integrated
     * (no vjps, much cheaper).
     */
    public FlowSample inverse(Tensor u, SolverConfig solver, boolean withLogDensity) {
        checkInput(u, "inverse");
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Divergence div = withLogDensity ? Divergence.auto().resolve(dim) : null;
            Rng noise = Rng.seeded(0x5EED);
            Tensor z = u.to(dtype());
            Tensor l = withLogDensity ? base.logDensity(z) : null;
            long nfe = 0;
            for (int i = blocks.size() - 1; i >= 0; i--) {
                List<Tensor> state = l == null ? List.of(z) : List.of(z, l);
                Solution s = blocks.get(i).solve(state, true, div, RnodeChannels.none(), solver, new Direct(), noise, 2);
                z = s.last(0);
                l = l == null ? null : s.last(1);
                nfe += s.stats().nfe();
            }
            return new FlowSample(z, l, nfe);
        }
    }

    /**
     * Trajectories from data towards the base distribution (cnf.md §5.5), without gradients: for each block the
     * states at {@code pointsPerBlock} evenly spaced times 0 … T (block boundaries appear once). Element k of the
     * result is z at the k-th time, [B, D].
     */
    public List<Tensor> trajectory(Tensor x, SolverConfig solver, int pointsPerBlock) {
        checkInput(x, "trajectory");
        if (pointsPerBlock < 2) {
            throw ConfigException.of("points", pointsPerBlock, "must be >= 2");
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            List<Tensor> out = new ArrayList<>();
            out.add(x);
            Tensor z = x.to(dtype());
            for (CnfBlock block : blocks) {
                Solution s = block.solve(List.of(z), false, null, RnodeChannels.none(), solver, new Direct(), null, pointsPerBlock);
                for (int k = 1; k < s.outputCount(); k++) {
                    out.add(s.state(k).get(0));
                }
                z = s.last(0);
            }
            return out;
        }
    }

    private void checkInput(Tensor x, String what) {
        if (x.rank() != 2 || x.dim(1) != dim) {
            throw new ShapeException("continuous flow " + what + ": input of shape " + x.shape() + ", expected [B, " + dim + "]");
        }
    }
}
