package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * CHECKPOINTED: DIRECT's gradient (gradients.md §1, the exact derivative of the discrete solve) with bounded
 * memory, in the manner of diffrax's {@code RecursiveCheckpointAdjoint}: backpropagation through the solver that
 * keeps only checkpoints of the state and re-runs the steps between them with recording on during the backward
 * pass. The budget schedule is Griewank's binomial checkpointing ("Achieving logarithmic growth of temporal and
 * spatial complexity in reverse automatic differentiation", 1992; revolve, Griewank &amp; Walther 2000).
 *
 * <p>The forward solve records nothing but its accepted step boundaries. The backward pass never re-runs step
 * control: {@link StepReplay} re-takes exactly those steps on a fixed grid, so the gradient equals DIRECT's to
 * round-off. Two schedules:
 * <ul>
 *   <li>{@link #every(int) every k}: one values-only sweep stores the state every k steps; then each span of k
 *       steps, last first, is re-run recorded and backpropagated. Steps are re-run twice in all; memory is N/k
 *       states plus the graph of k steps.</li>
 *   <li>{@link #budget(int) budget n} (default 16): at most n stored states besides y0 and the graph of one step,
 *       whatever the number of steps N. With r the least integer such that C(n + r, n) ≥ N, no step is advanced
 *       more than r times before its recorded re-run (binomial split, below).</li>
 * </ul>
 * The states are placed in the backward pass, once the number of steps is known (the forward loops expose no
 * per-step hook), which costs one values-only sweep more than an offline schedule placed during the forward.
 *
 * <p>Statistics: backward NFE counts every re-run evaluation of f; {@code memoryBytes} is the peak, during the
 * backward pass, of the stored states, the graph of the span being differentiated and the outputs: the figure
 * comparable with DIRECT's recorded bytes. Batch-wide and fixed-step solves only: per-sample control gives every
 * sample its own steps, which a shared grid cannot replay. The rule is first-order (as the adjoints').
 *
 * @param every  checkpoint spacing k in steps, or 0 when a budget is given
 * @param budget most stored states at once (binomial schedule), or 0 when a spacing is given
 */
public record Checkpointed(int every, int budget) implements GradientMethod {

    public Checkpointed {
        if ((every > 0) == (budget > 0) || every < 0 || budget < 0) {
            throw new ConfigException("checkpointed: give exactly one of a spacing (every >= 1 steps) or a budget"
                    + " (>= 1 stored states); got every=" + every + ", budget=" + budget);
        }
    }

    /** A state stored every k accepted steps. */
    public static Checkpointed every(int k) {
        if (k < 1) {
            throw ConfigException.of("every", k, "must be >= 1 steps");
        }
        return new Checkpointed(k, 0);
    }

    /** At most n stored states at once, binomial schedule. */
    public static Checkpointed budget(int n) {
        if (n < 1) {
            throw ConfigException.of("budget", n, "must be >= 1 stored states");
        }
        return new Checkpointed(0, n);
    }

    /** A budget of 16 states: up to 153 steps re-run at most twice, 968 at most three times. */
    public static Checkpointed defaults() {
        return budget(16);
    }

    @Override
    public String name() {
        return "checkpointed";
    }

    @Override
    public Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg) {
        if (cfg.batchMode() == BatchMode.PER_SAMPLE) {
            throw ConfigException.of("batchMode", "PER_SAMPLE", "the checkpointed gradient replays one step sequence"
                    + " for the whole batch: use batch-wide control, or the direct, adjoint or interpolated gradient");
        }
        Solution values;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            values = Ode.solveRecorded(f, BacksolveAdjoint.detached(y0), names, times, cfg);
        }
        StepReplay replay = new StepReplay(f, names, values, cfg);
        List<Tensor> params = f.parameters();
        return AdjointOutputs.wrap(name(), values, y0, params,
                g -> new Sweep(replay, params, g, outputBytes(values)).run(BacksolveAdjoint.detached(y0), values));
    }

    private static long outputBytes(Solution values) {
        long b = 0;
        for (int j = 1; j < values.outputCount(); j++) {
            b += bytes(values.state(j));
        }
        return b;
    }

    static long bytes(List<Tensor> state) {
        long b = 0;
        for (Tensor t : state) {
            b += (long) t.size() * t.dtype().bytes();
        }
        return b;
    }

    /** One backward pass: the schedule, the recorded re-runs, and the bookkeeping of NFE and memory. */
    private final class Sweep {
        private final StepReplay replay;
        private final List<Tensor> params;
        private final List<List<Tensor>> g;
        private final Tensor[] paramGrads;
        private final long[] nfe = new long[1];
        private final long baseBytes;
        private long stored;
        private long peak;

        Sweep(StepReplay replay, List<Tensor> params, List<List<Tensor>> g, long outputBytes) {
            this.replay = replay;
            this.params = params;
            this.g = g;
            this.paramGrads = new Tensor[params.size()];
            this.baseBytes = outputBytes;
        }

        Tensor[] run(List<Tensor> y0, Solution values) {
            int n = replay.steps();
            List<Tensor> a = every > 0 ? reverseEvery(y0, n) : reverse(0, n, y0, null, budget);
            values.stats().setBackward(new SolveStats.Backward(nfe[0], n, 0, peak, Double.NaN));
            Tensor[] out = new Tensor[a.size() + params.size()];
            for (int c = 0; c < a.size(); c++) {
                out[c] = a.get(c);
            }
            for (int p = 0; p < params.size(); p++) {
                out[a.size() + p] = paramGrads[p] != null ? paramGrads[p] : Tensor.zeros(params.get(p).shape());
            }
            return out;
        }

        /** Every k: one sweep stores the states, then the spans are differentiated last first. */
        private List<Tensor> reverseEvery(List<Tensor> y0, int n) {
            List<List<Tensor>> starts = new ArrayList<>();
            starts.add(y0);
            for (int at = every; at < n; at += every) {
                List<Tensor> y = replay.advance(at - every, at, starts.get(starts.size() - 1), nfe);
                starts.add(y);
                stored += bytes(y);
            }
            List<Tensor> cot = null;
            for (int s = starts.size() - 1; s >= 0; s--) {
                int a = s * every;
                cot = differentiate(a, Math.min(n, a + every), starts.get(s), cot);
                if (s > 0) {
                    stored -= bytes(starts.get(s));
                }
            }
            return cot;
        }

        /**
         * Binomial reversal of steps [a, b) from the stored state at a, with {@code free} more states allowed:
         * advance to a split m, store it, reverse [m, b) with one state fewer, release it, reverse [a, m).
         */
        private List<Tensor> reverse(int a, int b, List<Tensor> yA, List<Tensor> cotB, int free) {
            int l = b - a;
            if (l == 1) {
                return differentiate(a, b, yA, cotB);
            }
            if (free == 0) {
                // No room left: re-advance from a for every step, last first (quadratic, memory-bounded).
                List<Tensor> cot = cotB;
                for (int j = b - 1; j >= a; j--) {
                    List<Tensor> yJ = replay.advance(a, j, yA, nfe);
                    stored += j > a ? bytes(yJ) : 0;
                    cot = differentiate(j, j + 1, yJ, cot);
                    stored -= j > a ? bytes(yJ) : 0;
                }
                return cot;
            }
            int m = a + split(l, free);
            List<Tensor> yM = replay.advance(a, m, yA, nfe);
            stored += bytes(yM);
            List<Tensor> cotM = reverse(m, b, yM, cotB, free - 1);
            stored -= bytes(yM);
            return reverse(a, m, yA, cotM, free);
        }

        /**
         * Re-runs steps [a, b) recorded from a fresh leaf for the state at a and backpropagates the cotangent of the
         * state at b (null after the last step) plus those of the outputs the span emits; returns the cotangent of
         * the state at a and adds the parameters' share.
         */
        private List<Tensor> differentiate(int a, int b, List<Tensor> yA, List<Tensor> cotB) {
            List<Tensor> outs = new ArrayList<>();
            List<Tensor> cots = new ArrayList<>();
            List<Tensor> leaf = new ArrayList<>(yA.size());
            List<Tensor> grads;
            try (GradMode.Scope ignored = GradMode.enableGrad()) {
                for (Tensor t : yA) {
                    leaf.add(t.detach().requiringGrad());
                }
                StepReplay.Span span = replay.run(a, b, leaf, true, nfe);
                if (cotB != null) {
                    outs.addAll(span.end());
                    cots.addAll(cotB);
                }
                for (int k = 0; k < span.outputIndex().size(); k++) {
                    outs.addAll(span.outputs().get(k));
                    cots.addAll(g.get(span.outputIndex().get(k) - 1));
                }
                peak = Math.max(peak, baseBytes + stored + Autograd.footprint(outs)[1]);
                List<Tensor> inputs = new ArrayList<>(leaf);
                inputs.addAll(params);
                grads = Autograd.grad(outs, inputs, cots, false, true);
            }
            for (int p = 0; p < params.size(); p++) {
                Tensor gp = grads.get(leaf.size() + p);
                paramGrads[p] = paramGrads[p] == null ? gp : Primitives.add(paramGrads[p], gp);
            }
            return new ArrayList<>(grads.subList(0, leaf.size()));
        }
    }

    /**
     * Griewank's binomial split for l steps and s free states: with r the least integer with C(s + r, s) ≥ l,
     * any first span m with l − C(s − 1 + r, s − 1) ≤ m ≤ C(s + r − 1, s) keeps every step within r advances; the
     * largest such m is taken (capped at l − 1).
     */
    static int split(int l, int s) {
        int r = 1;
        while (binomial(s + r, s) < l) {
            r++;
        }
        return (int) Math.max(1, Math.min(binomial(s + r - 1, s), l - 1));
    }

    /** C(n, k), saturating at Long.MAX_VALUE. */
    static long binomial(int n, int k) {
        long c = 1;
        for (int i = 1; i <= k; i++) {
            long next = c * (n - k + i);
            if (next / (n - k + i) != c) {
                return Long.MAX_VALUE;
            }
            c = next / i;
        }
        return c;
    }
}
