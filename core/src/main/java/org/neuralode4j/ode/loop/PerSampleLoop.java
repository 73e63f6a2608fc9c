package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.SampleStatus;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.Controller;
import org.neuralode4j.ode.control.ControllerState;
import org.neuralode4j.ode.control.ErrorNorm;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.dense.Interpolants;
import org.neuralode4j.ode.dense.Segment;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * Adaptive solve in which every sample has its own time, step size, controller memory, counters and status
 * (solvers.md §3.6, torchode semantics). Requires row-independent dynamics.
 *
 * <p>Each iteration gathers the running rows, takes one attempt for all of them with per-row step sizes (a
 * column h broadcast over each row), and scatters the accepted rows back. Finished samples are frozen: their
 * state, time, step and controller memory no longer change, and they are not passed to f — so an easy sample
 * stops paying for the hard one's steps.
 */
public final class PerSampleLoop {
    private final SolverConfig cfg;
    private final Tableau tab;
    private final StepControl sc;

    public PerSampleLoop(SolverConfig cfg) {
        if (cfg.dense()) {
            throw ConfigException.of("dense", true, "dense output is available for batch-wide solves only; use output times");
        }
        this.cfg = cfg;
        this.tab = cfg.tableau();
        this.sc = cfg.stepControl();
    }

    public Solution solve(Dynamics f, List<Tensor> y0, double[] times, List<String> names) {
        return new Solve(f, y0, times, names).run();
    }

    /** The rows attempting a step together: their times, steps and clipped ends (NaN: no stop inside the step). */
    private record Attempt(int[] run, double[] tr, double[] hr, double[] stopAt) {
        int size() {
            return run.length;
        }
    }

    /** One attempt's stages for its rows: the stage values, the proposed states and the error ratios. */
    private record Stages(List<Tensor> yr, Tensor[] hcol, List<List<Tensor>> ks, List<Tensor> yNew, double[] ratio) {}

    /**
     * One per-sample solve: its state (each row's time, step, controller memory and counters, the current states
     * and k₁, the outputs filled so far) and the phases of one loop iteration — pending k₁, step bounds, the
     * attempt, the controller's decisions, and committing the accepted rows.
     */
    private final class Solve {
        private final double[] times;
        private final double[] s;
        private final double s1;
        private final Field field;
        private final StepGuard guard;
        private final boolean pastEnd;
        private final int batch;
        private final int k;
        private final int stages;
        private final boolean fsal;
        private final boolean deferLast;
        private final double[] stops;
        private final Rows r;
        private final SampleStatus[] status;
        private final boolean[] needK1;
        private final List<Tensor> y0;
        // outputs[j] is filled row by row as each sample reaches τ_j: parts of (rows, values).
        private final List<List<int[]>> partRows = new ArrayList<>();
        private final List<List<List<Tensor>>> partValues = new ArrayList<>();
        private List<Tensor> y;
        private List<Tensor> k1;
        private final double[] h;
        private int initialNfe = 1;
        private final double firstStep;

        Solve(Dynamics f, List<Tensor> y0, double[] times, List<String> names) {
            double sign = times[times.length - 1] >= times[0] ? 1.0 : -1.0;
            this.times = times;
            this.s = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                s[i] = sign * times[i];
            }
            this.s1 = s[s.length - 1];
            this.field = new Field(f, sign, names);
            this.guard = new StepGuard(cfg, field);
            this.pastEnd = sc.stops().pastEnd();
            this.batch = y0.get(0).dim(0);
            this.k = tab.errorOrder();
            this.stages = tab.stages();
            this.fsal = tab.fsal();
            this.deferLast = fsal && tab.e()[stages - 1] == 0.0;
            this.stops = sc.stops().stopsFor(s, sign);
            this.r = new Rows(batch, s[0], sc.controller().initialState());
            this.status = new SampleStatus[batch];
            Arrays.fill(status, SampleStatus.OK);
            this.needK1 = new boolean[batch];
            this.y0 = y0;
            for (int j = 0; j < s.length; j++) {
                partRows.add(new ArrayList<>());
                partValues.add(new ArrayList<>());
            }
            int[] all = java.util.stream.IntStream.range(0, batch).toArray();
            y = y0;
            guard.checkFinite("the initial state", s[0], 0, Double.NaN, StepGuard.Progress.start(-1), y0, null);
            k1 = field.evalRows(pick(r.t, all), all, y);
            guard.checkFinite("f", s[0], 1, Double.NaN, StepGuard.Progress.start(-1), k1, null);
            Arrays.fill(r.nfe, 1);
            if (Double.isNaN(sc.firstStep())) {
                h = InitialStep.perSample(field, s[0], y, k1, k, sc.tolerances());
                initialNfe++;
                for (int b = 0; b < batch; b++) {
                    r.nfe[b]++;
                }
            } else {
                h = new double[batch];
                Arrays.fill(h, sc.firstStep());
            }
            firstStep = h.length > 0 ? h[0] : Double.NaN;
        }

        Solution run() {
            while (true) {
                int[] running = running(r.t, s1, status);
                if (running.length == 0) {
                    return solution();
                }
                evalPendingK1(running);
                Attempt a = bounded(running);
                if (a == null) {
                    continue;
                }
                Stages st = attempt(a);
                if (st == null) {
                    continue;
                }
                int[] local = decide(a, st.ratio());
                if (local.length > 0) {
                    commit(a, st, local);
                }
            }
        }

        /** Rows whose k₁ is pending (non-FSAL methods) get it in one call. */
        private void evalPendingK1(int[] running) {
            int[] pending = Arrays.stream(running).filter(b -> needK1[b]).toArray();
            if (pending.length == 0) {
                return;
            }
            List<Tensor> kp = field.evalRows(pick(r.t, pending), pending, gather(y, pending));
            guard.checkFinite("f", r.t[pending[0]], 1, h[pending[0]], r.progress(pending[0], 1), kp, pending);
            k1 = replaceRows(k1, pending, kp, batch);
            for (int b : pending) {
                needK1[b] = false;
                r.nfe[b]++;
            }
        }

        /**
         * The shared step policies, per sample: bounds, clipping at stops, underflow and step limits. A sample that
         * hits a limit under RETURN_PARTIAL is frozen. Null when no row can attempt a step; otherwise each row's
         * attempt is counted.
         */
        private Attempt bounded(int[] running) {
            int[] run = new int[running.length];
            double[] hr = new double[running.length];
            double[] stopAt = new double[running.length];
            int m = 0;
            for (int b : running) {
                StepGuard.Progress p = r.progress(b, 1);
                try {
                    double hb = guard.bound(r.t[b], h[b], p);
                    double end = pastEnd ? Double.NaN : sc.stops().clippedEnd(stops, r.t[b], hb);
                    if (!Double.isNaN(end)) {
                        hb = end - r.t[b];
                    }
                    guard.checkUnderflow(r.t[b], hb, p);
                    guard.checkMaxSteps(r.attempts[b], r.attemptsThisOutput[b], r.t[b], hb, p);
                    run[m] = b;
                    hr[m] = hb;
                    stopAt[m] = end;
                    m++;
                } catch (SolveException e) {
                    SampleStatus mark = guard.partialStatus(e);
                    if (mark == null) {
                        throw e;
                    }
                    status[b] = mark;
                }
            }
            if (m == 0) {
                return null;
            }
            run = Arrays.copyOf(run, m);
            for (int b : run) {
                r.attempts[b]++;
                r.attemptsThisOutput[b]++;
            }
            return new Attempt(run, pick(r.t, run), Arrays.copyOf(hr, m), stopAt);
        }

        /**
         * The attempt's stages, proposed states and error ratios; null when some row produced NaN/Inf, after those
         * rows were shrunk and the others set to retry (REJECT_AND_SHRINK; otherwise the guard has thrown).
         */
        private Stages attempt(Attempt a) {
            int[] run = a.run();
            double[] tr = a.tr();
            double[] hr = a.hr();
            Tensor[] hcol = columns(hr, y);
            List<Tensor> yr = gather(y, run);
            List<List<Tensor>> ks = new ArrayList<>(stages);
            ks.add(gather(k1, run));
            int last = fsal ? stages - 1 : stages;
            int[] bad = null;
            for (int i = 1; i < last && bad == null; i++) {
                List<Tensor> yi = combineRows(yr, tab.a()[i], hcol, ks, i);
                ks.add(evalStage(field, tr, hr, tab.c()[i], yi, run, r.nfe));
                bad = nonFiniteRows(guard, ks.get(i), tr, hr, run, r, i + 1);
            }
            List<Tensor> yNew = null;
            if (bad == null) {
                yNew = combineRows(yr, tab.b(), hcol, ks, last);
                if (fsal && !deferLast) {
                    ks.add(evalStage(field, tr, hr, 1.0, yNew, run, r.nfe));
                    bad = nonFiniteRows(guard, ks.get(stages - 1), tr, hr, run, r, stages);
                }
            }
            double[] ratio = bad == null ? ratios(ks, yr, yNew, hr, hcol, a.size()) : null;
            if (bad == null) {
                bad = nonFiniteRatios(guard, ratio, tr, hr, run, r, yNew);
            }
            if (bad != null) {
                shrinkAndRetry(guard, bad, run, h, hr, r);
                return null;
            }
            return new Stages(yr, hcol, ks, yNew, ratio);
        }

        /** Each row's controller decision; returns the local indices of the accepted rows. */
        private int[] decide(Attempt a, double[] ratio) {
            int[] run = a.run();
            double[] hr = a.hr();
            List<Integer> acc = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                int b = run[i];
                r.nonFiniteStreak[b] = 0;
                Controller.Decision d = sc.controller().decide(hr[i], ratio[i], k, r.state[b]);
                if (d.accept() || guard.acceptsAnyway(hr[i])) {
                    acc.add(i);
                    r.accepted[b]++;
                    r.lastH[b] = hr[i];
                    r.lastRatio[b] = ratio[i];
                } else {
                    r.rejected[b]++;
                }
                h[b] = d.nextH();
                r.state[b] = d.state();
            }
            return acc.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Moves the accepted rows to their step ends: checks, the deferred FSAL stage, outputs, state and k₁. */
        private void commit(Attempt a, Stages st, int[] local) {
            int[] run = a.run();
            double[] tr = a.tr();
            double[] hr = a.hr();
            int[] rows = new int[local.length];
            double[] tNew = new double[local.length];
            for (int i = 0; i < local.length; i++) {
                rows[i] = run[local[i]];
                tNew[i] = Double.isNaN(a.stopAt()[local[i]]) ? tr[local[i]] + hr[local[i]] : a.stopAt()[local[i]];
            }
            List<Tensor> yAcc = gatherLocal(st.yNew(), local);
            int[] badAcc = Field.firstNonFinite(yAcc);
            if (badAcc != null) {
                int i = badAcc[0];
                guard.checkFinite("the new state", tr[local[i]], 0, hr[local[i]], r.progress(rows[i], 0), yAcc, rows);
            }
            List<Tensor> kEnd = null;
            if (deferLast) {
                kEnd = field.evalRows(pick(tNew, null), rows, yAcc);
                int[] badEnd = Field.firstNonFinite(kEnd);
                if (badEnd != null) {
                    int i = badEnd[0];
                    guard.checkFinite("f", tNew[i], stages, hr[local[i]], r.progress(rows[i], 0), kEnd, rows);
                }
                for (int b : rows) {
                    r.nfe[b]++;
                }
            } else if (fsal) {
                kEnd = gatherLocal(st.ks().get(st.ks().size() - 1), local);
            }
            emitOutputs(s, pastEnd, local, rows, tr, hr, tNew, st.yr(), st.yNew(), st.ks(), st.hcol(), kEnd, partRows,
                    partValues, field, r, run);
            y = replaceRows(y, rows, yAcc, batch);
            if (kEnd != null) {
                k1 = replaceRows(k1, rows, kEnd, batch);
            } else {
                for (int b : rows) {
                    needK1[b] = true;
                }
            }
            for (int i = 0; i < rows.length; i++) {
                r.t[rows[i]] = tNew[i];
            }
        }

        private Solution solution() {
            List<List<Tensor>> outputs = new ArrayList<>(s.length);
            outputs.add(y0);
            for (int j = 1; j < s.length; j++) {
                outputs.add(assemble(partRows.get(j), partValues.get(j), y0, batch));
            }
            int maxAttempts = 0;
            int maxAcc = 0;
            int maxRej = 0;
            for (int b = 0; b < batch; b++) {
                maxAttempts = Math.max(maxAttempts, r.attempts[b]);
                maxAcc = Math.max(maxAcc, r.accepted[b]);
                maxRej = Math.max(maxRej, r.rejected[b]);
            }
            SolveStats stats = new SolveStats(field.calls(), initialNfe, maxAttempts, maxAcc, maxRej,
                    field.rowEvaluations(), firstStep, 0, r.nfe, r.attempts, r.accepted, r.rejected);
            return new Solution(times, outputs, status, stats, null, new double[0], new double[0]);
        }
    }

    /** Each sample's own time, controller memory, counters and last accepted step (solvers.md §3.6). */
    private static final class Rows {
        final double[] t;
        final ControllerState[] state;
        final int[] nfe;
        final int[] attempts;
        final int[] attemptsThisOutput;
        final int[] accepted;
        final int[] rejected;
        final int[] nonFiniteStreak;
        final double[] lastH;
        final double[] lastRatio;
        final int[] nextOut;

        Rows(int batch, double t0, ControllerState initial) {
            t = new double[batch];
            Arrays.fill(t, t0);
            state = new ControllerState[batch];
            Arrays.fill(state, initial);
            nfe = new int[batch];
            attempts = new int[batch];
            attemptsThisOutput = new int[batch];
            accepted = new int[batch];
            rejected = new int[batch];
            nonFiniteStreak = new int[batch];
            lastH = new double[batch];
            lastRatio = new double[batch];
            Arrays.fill(lastH, Double.NaN);
            Arrays.fill(lastRatio, Double.NaN);
            nextOut = new int[batch];
            Arrays.fill(nextOut, 1);
        }

        /** Sample b's progress for diagnostics; {@code ahead} = 1 before its attempt is counted, 0 after. */
        StepGuard.Progress progress(int b, int ahead) {
            return new StepGuard.Progress(b, attempts[b] + ahead, lastH[b], lastRatio[b], accepted[b], rejected[b]);
        }
    }

    /**
     * Local indices of rows with NaN/Inf in a stage, or null when all are finite. Without REJECT_AND_SHRINK the
     * first one fails the solve here.
     */
    private static int[] nonFiniteRows(StepGuard guard, List<Tensor> values, double[] tr, double[] hr, int[] run, Rows r,
                                       int stage) {
        int[] first = Field.firstNonFinite(values);
        if (first == null) {
            return null;
        }
        if (!guard.mayShrinkOnNonFinite()) {
            int i = first[0];
            guard.checkFinite("f", tr[i], stage, hr[i], r.progress(run[i], 0), values, run);
        }
        return Field.nonFiniteRows(values);
    }

    /** As {@link #nonFiniteRows} for the error ratios (a NaN ratio is never a silent rejection). */
    private static int[] nonFiniteRatios(StepGuard guard, double[] ratio, double[] tr, double[] hr, int[] run, Rows r,
                                         List<Tensor> yNew) {
        int[] bad = java.util.stream.IntStream.range(0, ratio.length).filter(i -> !Double.isFinite(ratio[i])).toArray();
        if (bad.length == 0) {
            return null;
        }
        if (!guard.mayShrinkOnNonFinite()) {
            int i = bad[0];
            throw guard.nonFiniteRatio(tr[i], hr[i], r.progress(run[i], 0), yNew, run);
        }
        return bad;
    }

    /**
     * REJECT_AND_SHRINK: the rows with non-finite values are rejected with h·facMin (at most
     * {@value StepGuard#MAX_NON_FINITE_STREAK} times in a row); the other rows of the iteration did not get a
     * usable attempt (their stages shared the call), so their attempt is not counted and they retry the same
     * step — their step sequence is the one they take alone, only their evaluations are spent twice.
     */
    private void shrinkAndRetry(StepGuard guard, int[] bad, int[] run, double[] h, double[] hr, Rows r) {
        boolean[] isBad = new boolean[run.length];
        for (int i : bad) {
            isBad[i] = true;
        }
        for (int i = 0; i < run.length; i++) {
            int b = run[i];
            if (!isBad[i]) {
                r.attempts[b]--;
                r.attemptsThisOutput[b]--;
                continue;
            }
            if (!guard.shrinksOnNonFinite(++r.nonFiniteStreak[b])) {
                throw guard.limitError(SolveException.Kind.NON_FINITE, r.t[b], hr[i], r.progress(b, 0),
                        "NaN/Inf in " + StepGuard.MAX_NON_FINITE_STREAK + " attempts in a row even after shrinking the"
                                + " step. Lower the learning rate, tighten the tolerances, or check the dynamics for overflow.");
            }
            r.rejected[b]++;
            h[b] = hr[i] * sc.controller().facMin();
            r.state[b] = new ControllerState(r.state[b].prevRatio(), true);
        }
    }

    /** Emits every output time that accepted rows passed in this iteration, exactly or from the step's interpolant. */
    private void emitOutputs(double[] s, boolean pastEnd, int[] local, int[] rows, double[] tr, double[] hr, double[] tNew,
                             List<Tensor> yr, List<Tensor> yNew, List<List<Tensor>> ks, Tensor[] hcol, List<Tensor> kEnd,
                             List<List<int[]>> partRows, List<List<List<Tensor>>> partValues, Field field, Rows r,
                             int[] run) {
        int[] nextOut = r.nextOut;
        int nOut = s.length;
        int m = yr.get(0).dim(0);
        // Per output time, the rows that reach it now: exactly at their step end, or inside the step (θ per row).
        java.util.Map<Integer, List<Integer>> exact = new java.util.TreeMap<>();
        java.util.Map<Integer, List<Integer>> inside = new java.util.TreeMap<>();
        for (int a = 0; a < local.length; a++) {
            int b = rows[a];
            while (nextOut[b] < nOut && s[nextOut[b]] <= tNew[a]) {
                int j = nextOut[b];
                (!pastEnd && s[j] == tNew[a] ? exact : inside).computeIfAbsent(j, key -> new ArrayList<>()).add(a);
                nextOut[b]++;
                r.attemptsThisOutput[b] = 0;
            }
        }
        for (java.util.Map.Entry<Integer, List<Integer>> e : exact.entrySet()) {
            int[] at = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            partRows.get(e.getKey()).add(pickInts(rows, at));
            partValues.get(e.getKey()).add(gatherLocal(yNew, pickInts(local, at)));
        }
        Segment seg = null;
        for (java.util.Map.Entry<Integer, List<Integer>> e : inside.entrySet()) {
            if (seg == null) {
                seg = unitSegment(yr, yNew, ks, hcol, kEnd, local, tNew, field, rows, run, r.nfe);
            }
            int j = e.getKey();
            int[] at = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            double[] theta = new double[m];
            for (int a : at) {
                theta[local[a]] = (s[j] - tr[local[a]]) / hr[local[a]];
            }
            // One evaluation of the interpolant for every row that reaches τ_j in this iteration.
            partRows.get(j).add(pickInts(rows, at));
            partValues.get(j).add(gatherLocal(seg.atRows(theta), pickInts(local, at)));
        }
    }

    private static int[] pickInts(int[] v, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    /**
     * The interpolant of this iteration's rows with each row's h folded into its stages (h = 1 in the formulas),
     * so one polynomial form serves rows with different steps.
     */
    private Segment unitSegment(List<Tensor> yr, List<Tensor> yNew, List<List<Tensor>> ks, Tensor[] hcol, List<Tensor> kEnd,
                                int[] local, double[] tNew, Field field, int[] rows, int[] run, int[] nfe) {
        List<List<Tensor>> scaled = new ArrayList<>(ks.size() + 1);
        for (List<Tensor> kk : ks) {
            scaled.add(scaleRows(kk, hcol));
        }
        List<Tensor> f1 = null;
        if (Interpolants.needsEndDerivative(tab)) {
            // Non-FSAL Hermite needs f at each row's step end; rows not accepted get their current value (unused).
            double[] te = new double[yr.get(0).dim(0)];
            for (int a = 0; a < local.length; a++) {
                te[local[a]] = tNew[a];
            }
            f1 = scaleRows(field.evalRows(te, run, yNew), hcol);
            for (int b : rows) {
                nfe[b]++;
            }
        } else if (tab.fsal() && scaled.size() < tab.stages()) {
            // Deferred FSAL stage: only accepted rows have it; spread it over the iteration's rows.
            List<Tensor> full = new ArrayList<>();
            for (int c = 0; c < kEnd.size(); c++) {
                full.add(Ops.indexAdd(kEnd.get(c), local, yr.get(0).dim(0)));
            }
            scaled.add(scaleRows(full, hcol));
        }
        return Interpolants.build(tab, 0.0, 1.0, yr, yNew, scaled, f1);
    }

    private double[] ratios(List<List<Tensor>> ks, List<Tensor> yr, List<Tensor> yNew, double[] hr, Tensor[] hcol, int m) {
        int[] per = ErrorNorm.perSample(yr);
        if (tab.e3() == null) {
            List<Tensor> err = scaleValues(RkStepper.errorEstimate(tab.e(), 1.0, ks), hcol);
            return ErrorNorm.perSampleRms(ErrorNorm.sampleSums(err, yr, yNew, sc.tolerances(), null), per, m);
        }
        double[][] s5 = ErrorNorm.sampleSums(RkStepper.errorEstimate(tab.e(), 1.0, ks), yr, yNew, sc.tolerances(), null);
        double[][] s3 = ErrorNorm.sampleSums(RkStepper.errorEstimate(tab.e3(), 1.0, ks), yr, yNew, sc.tolerances(), null);
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            double[][] a = new double[s5.length][];
            double[][] c = new double[s3.length][];
            for (int comp = 0; comp < s5.length; comp++) {
                if (s5[comp] != null) {
                    a[comp] = new double[] {s5[comp][i]};
                    c[comp] = new double[] {s3[comp][i]};
                }
            }
            r[i] = ErrorNorm.dop853PerSample(hr[i], a, c, per, 1)[0];
        }
        return r;
    }

    /** One stage for the iteration's rows, each at its own time t_b + c·h_b, in one call (values checked by the caller). */
    private static List<Tensor> evalStage(Field field, double[] tr, double[] hr, double c, List<Tensor> yi, int[] run,
                                          int[] nfe) {
        double[] ts = new double[tr.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = c == 1.0 ? tr[i] + hr[i] : tr[i] + c * hr[i];
        }
        List<Tensor> kk = field.evalRows(ts, run, yi);
        for (int b : run) {
            nfe[b]++;
        }
        return kk;
    }

    private static int[] running(double[] t, double s1, SampleStatus[] status) {
        int n = 0;
        int[] r = new int[t.length];
        for (int b = 0; b < t.length; b++) {
            if (t[b] < s1 && status[b] == SampleStatus.OK) {
                r[n++] = b;
            }
        }
        return Arrays.copyOf(r, n);
    }

    private static double[] pick(double[] v, int[] idx) {
        if (idx == null) {
            return v.clone();
        }
        double[] r = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = v[idx[i]];
        }
        return r;
    }

    /** h as a column per component, [m, 1, ...], broadcast over each row. */
    private static Tensor[] columns(double[] h, List<Tensor> like) {
        Tensor[] cols = new Tensor[like.size()];
        for (int c = 0; c < cols.length; c++) {
            int[] dims = new int[like.get(c).rank()];
            Arrays.fill(dims, 1);
            dims[0] = h.length;
            cols[c] = Tensor.of(like.get(c).dtype(), h, dims);
        }
        return cols;
    }

    private static List<Tensor> gather(List<Tensor> y, int[] rows) {
        List<Tensor> out = new ArrayList<>(y.size());
        for (Tensor c : y) {
            out.add(rows.length == c.dim(0) && isIdentity(rows) ? c : Ops.indexSelect(c, rows));
        }
        return out;
    }

    private static List<Tensor> gatherLocal(List<Tensor> y, int[] local) {
        return gather(y, local);
    }

    private static boolean isIdentity(int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** y with the given rows replaced by {@code values} (recorded: y ⊙ (1 − mask) + scatter(values)). */
    private static List<Tensor> replaceRows(List<Tensor> y, int[] rows, List<Tensor> values, int batch) {
        List<Tensor> out = new ArrayList<>(y.size());
        boolean all = rows.length == batch && isIdentity(rows);
        for (int c = 0; c < y.size(); c++) {
            if (all) {
                out.add(values.get(c));
                continue;
            }
            int[] dims = new int[y.get(c).rank()];
            Arrays.fill(dims, 1);
            dims[0] = batch;
            double[] keep = new double[batch];
            Arrays.fill(keep, 1.0);
            for (int b : rows) {
                keep[b] = 0.0;
            }
            out.add(Ops.add(Ops.mul(y.get(c), Tensor.of(y.get(c).dtype(), keep, dims)), Ops.indexAdd(values.get(c), rows, batch)));
        }
        return out;
    }

    /** y + h_b·Σ_j w_j·k_j with a per-row h (recorded). */
    private static List<Tensor> combineRows(List<Tensor> y, double[] w, Tensor[] hcol, List<List<Tensor>> k, int n) {
        List<Tensor> out = new ArrayList<>(y.size());
        for (int c = 0; c < y.size(); c++) {
            List<Tensor> terms = new ArrayList<>();
            List<Double> coeffs = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (w[j] != 0.0) {
                    terms.add(k.get(j).get(c));
                    coeffs.add(w[j]);
                }
            }
            if (terms.isEmpty()) {
                out.add(y.get(c));
                continue;
            }
            Tensor sum = Ops.linearCombination(coeffs.stream().mapToDouble(Double::doubleValue).toArray(), terms.toArray(new Tensor[0]));
            out.add(Ops.add(y.get(c), Ops.mul(sum, hcol[c])));
        }
        return out;
    }

    private static List<Tensor> scaleRows(List<Tensor> k, Tensor[] hcol) {
        List<Tensor> out = new ArrayList<>(k.size());
        for (int c = 0; c < k.size(); c++) {
            out.add(Ops.mul(k.get(c), hcol[c]));
        }
        return out;
    }

    private static List<Tensor> scaleValues(List<Tensor> k, Tensor[] hcol) {
        List<Tensor> out = new ArrayList<>(k.size());
        for (int c = 0; c < k.size(); c++) {
            out.add(Primitives.mul(k.get(c), hcol[c]));
        }
        return out;
    }

    /** Joins the rows emitted for one output time into a [B, ...] tensor per component (NaN rows never reached). */
    private static List<Tensor> assemble(List<int[]> rows, List<List<Tensor>> values, List<Tensor> like, int batch) {
        List<Tensor> out = new ArrayList<>(like.size());
        boolean[] seen = new boolean[batch];
        int[] order = rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        for (int b : order) {
            seen[b] = true;
        }
        int[] missing = java.util.stream.IntStream.range(0, batch).filter(b -> !seen[b]).toArray();
        for (int c = 0; c < like.size(); c++) {
            List<Tensor> parts = new ArrayList<>();
            for (List<Tensor> v : values) {
                parts.add(v.get(c));
            }
            int[] rowOf = new int[batch];
            int at = 0;
            for (int b : order) {
                rowOf[b] = at++;
            }
            if (missing.length > 0) {
                int[] dims = like.get(c).shape().dims();
                dims[0] = missing.length;
                parts.add(Tensor.full(like.get(c).dtype(), Double.NaN, org.neuralode4j.tensor.Shape.of(dims)));
                for (int b : missing) {
                    rowOf[b] = at++;
                }
            }
            Tensor joined = parts.size() == 1 ? parts.get(0) : Ops.concat(parts, 0);
            out.add(Ops.indexSelect(joined, rowOf));
        }
        return out;
    }
}
