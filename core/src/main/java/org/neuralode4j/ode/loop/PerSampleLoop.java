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
import org.neuralode4j.ode.control.Limits;
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
    private final Limits limits;

    public PerSampleLoop(SolverConfig cfg) {
        if (cfg.dense()) {
            throw ConfigException.of("dense", true, "dense output is available for batch-wide solves only; use output times");
        }
        this.cfg = cfg;
        this.tab = cfg.tableau();
        this.sc = cfg.stepControl();
        this.limits = cfg.limits();
    }

    public Solution solve(Dynamics f, List<Tensor> y0, double[] times, List<String> names) {
        double sign = times[times.length - 1] >= times[0] ? 1.0 : -1.0;
        int nOut = times.length;
        double[] s = new double[nOut];
        for (int i = 0; i < nOut; i++) {
            s[i] = sign * times[i];
        }
        double s1 = s[nOut - 1];
        Field field = new Field(f, sign, names);
        boolean pastEnd = sc.overshoot() == StepControl.Overshoot.STEP_PAST_END;
        int batch = y0.get(0).dim(0);
        int k = tab.errorOrder();
        int stages = tab.stages();
        boolean fsal = tab.fsal();
        boolean deferLast = fsal && tab.e()[stages - 1] == 0.0;
        double[] stops = sc.stopsFor(s);

        int[] nfe = new int[batch];
        int[] attempts = new int[batch];
        int[] accepted = new int[batch];
        int[] rejected = new int[batch];
        double[] t = new double[batch];
        double[] h;
        Arrays.fill(t, s[0]);
        ControllerState[] state = new ControllerState[batch];
        Arrays.fill(state, sc.controller().initialState());
        int[] nextOut = new int[batch];
        Arrays.fill(nextOut, 1);
        SampleStatus[] status = new SampleStatus[batch];
        Arrays.fill(status, SampleStatus.OK);
        boolean[] needK1 = new boolean[batch];

        List<Tensor> y = y0;
        List<Tensor> k1 = field.eval(s[0], y);
        checkFinite(field, k1, s[0], 0, 1, Double.NaN, null);
        Arrays.fill(nfe, 1);
        int initialNfe = 1;
        if (Double.isNaN(sc.firstStep())) {
            h = InitialStep.choose(field, s[0], y, k1, k, sc, true, batch);
            initialNfe++;
            for (int b = 0; b < batch; b++) {
                nfe[b]++;
            }
        } else {
            h = new double[batch];
            Arrays.fill(h, sc.firstStep());
        }
        double firstStep = h.length > 0 ? h[0] : Double.NaN;

        // outputs[j] is filled row by row as each sample reaches τ_j: parts of (rows, values).
        List<List<int[]>> partRows = new ArrayList<>();
        List<List<List<Tensor>>> partValues = new ArrayList<>();
        for (int j = 0; j < nOut; j++) {
            partRows.add(new ArrayList<>());
            partValues.add(new ArrayList<>());
        }

        while (true) {
            int[] run = running(t, s1, status);
            if (run.length == 0) {
                break;
            }
            // Rows whose k_1 is pending (non-FSAL methods) get it in one call.
            int[] pending = Arrays.stream(run).filter(b -> needK1[b]).toArray();
            if (pending.length > 0) {
                List<Tensor> kp = field.evalRows(pick(t, pending), gather(y, pending));
                checkFinite(field, kp, t[pending[0]], attempts[pending[0]] + 1, 1, h[pending[0]], pending);
                k1 = replaceRows(k1, pending, kp, batch);
                for (int b : pending) {
                    needK1[b] = false;
                    nfe[b]++;
                }
            }
            int m = run.length;
            double[] hr = new double[m];
            boolean[] onStop = new boolean[m];
            double[] stopAt = new double[m];
            for (int i = 0; i < m; i++) {
                int b = run[i];
                double hb = Math.min(h[b], limits.maxStep());
                if (hb < limits.minStep()) {
                    if (limits.minStepPolicy() == Limits.MinStepPolicy.FAIL) {
                        throw rowError(SolveException.Kind.MIN_STEP, field, t[b], attempts[b] + 1, b, hb,
                                "the controller asked for a step below minStep=" + limits.minStep());
                    }
                    hb = limits.minStep();
                }
                if (!pastEnd) {
                    double stop = nextStop(stops, t[b]);
                    if (t[b] + sc.stopStretch() * hb >= stop) {
                        hb = stop - t[b];
                        onStop[i] = true;
                        stopAt[i] = stop;
                    }
                }
                if (t[b] + hb == t[b] || !Double.isFinite(hb)) {
                    throw rowError(SolveException.Kind.STEP_UNDERFLOW, field, t[b], attempts[b] + 1, b, hb,
                            "the step size underflowed; the solution may blow up near here");
                }
                if (attempts[b] >= limits.maxSteps()) {
                    throw rowError(SolveException.Kind.MAX_STEPS, field, t[b], attempts[b] + 1, b, hb,
                            "reached maxSteps=" + limits.maxSteps() + " for this sample");
                }
                hr[i] = hb;
                attempts[b]++;
            }
            double[] tr = pick(t, run);
            Tensor[] hcol = columns(hr, y);
            List<Tensor> yr = gather(y, run);
            List<List<Tensor>> ks = new ArrayList<>(stages);
            ks.add(gather(k1, run));
            int last = fsal ? stages - 1 : stages;
            for (int i = 1; i < last; i++) {
                List<Tensor> yi = combineRows(yr, tab.a()[i], hcol, ks, i);
                ks.add(evalStage(field, tr, hr, tab.c()[i], yi, run, attempts, i + 1, nfe));
            }
            List<Tensor> yNew = combineRows(yr, tab.b(), hcol, ks, last);
            if (fsal && !deferLast) {
                ks.add(evalStage(field, tr, hr, 1.0, yNew, run, attempts, stages, nfe));
            }
            double[] ratio = ratios(ks, yr, yNew, hr, hcol, m);
            List<Integer> acc = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                int b = run[i];
                if (!Double.isFinite(ratio[i])) {
                    throw rowError(SolveException.Kind.NON_FINITE, field, t[b], attempts[b], b, hr[i],
                            "the error estimate is not finite (NaN/Inf in the new state)");
                }
                Controller.Decision d = sc.controller().decide(hr[i], ratio[i], k, state[b]);
                boolean ok = d.accept() || (limits.minStepPolicy() == Limits.MinStepPolicy.ACCEPT && hr[i] <= limits.minStep());
                if (ok) {
                    acc.add(i);
                    accepted[b]++;
                } else {
                    rejected[b]++;
                }
                h[b] = d.nextH();
                state[b] = d.state();
            }
            if (acc.isEmpty()) {
                continue;
            }
            int[] local = acc.stream().mapToInt(Integer::intValue).toArray();
            int[] rows = new int[local.length];
            double[] tNew = new double[local.length];
            for (int a = 0; a < local.length; a++) {
                rows[a] = run[local[a]];
                tNew[a] = onStop[local[a]] ? stopAt[local[a]] : tr[local[a]] + hr[local[a]];
            }
            List<Tensor> yAcc = gatherLocal(yNew, local);
            int[] badRow = Field.firstNonFinite(yAcc);
            if (badRow != null) {
                throw field.nonFinite("the new state", cfg.phase(), t[rows[badRow[0]]], attempts[rows[badRow[0]]], 0,
                        hr[local[badRow[0]]], Double.NaN, Double.NaN, yAcc, badRow, rows);
            }
            List<Tensor> kEnd = null;
            if (deferLast) {
                kEnd = field.evalRows(pick(tNew, null), yAcc);
                checkFinite(field, kEnd, tNew[0], attempts[rows[0]], stages, hr[local[0]], rows);
                for (int b : rows) {
                    nfe[b]++;
                }
            } else if (fsal) {
                kEnd = gatherLocal(ks.get(ks.size() - 1), local);
            }
            emitOutputs(s, pastEnd, local, rows, tr, hr, tNew, yr, yNew, ks, hcol, kEnd, nextOut, partRows, partValues,
                    field, nfe);
            y = replaceRows(y, rows, yAcc, batch);
            if (kEnd != null) {
                k1 = replaceRows(k1, rows, kEnd, batch);
            } else {
                for (int b : rows) {
                    needK1[b] = true;
                }
            }
            for (int a = 0; a < rows.length; a++) {
                t[rows[a]] = tNew[a];
            }
        }

        List<List<Tensor>> outputs = new ArrayList<>(nOut);
        outputs.add(y0);
        for (int j = 1; j < nOut; j++) {
            outputs.add(assemble(partRows.get(j), partValues.get(j), y0, batch));
        }
        int maxAttempts = 0;
        int sumAcc = 0;
        int sumRej = 0;
        for (int b = 0; b < batch; b++) {
            maxAttempts = Math.max(maxAttempts, attempts[b]);
            sumAcc = Math.max(sumAcc, accepted[b]);
            sumRej = Math.max(sumRej, rejected[b]);
        }
        SolveStats stats = new SolveStats(field.calls(), initialNfe, maxAttempts, sumAcc, sumRej, field.rowEvaluations(),
                firstStep, 0, nfe, attempts, accepted, rejected);
        return new Solution(times, outputs, status, stats, null, new double[0], new double[0]);
    }

    /** Emits every output time that accepted rows passed in this iteration, exactly or from the step's interpolant. */
    private void emitOutputs(double[] s, boolean pastEnd, int[] local, int[] rows, double[] tr, double[] hr, double[] tNew,
                             List<Tensor> yr, List<Tensor> yNew, List<List<Tensor>> ks, Tensor[] hcol, List<Tensor> kEnd,
                             int[] nextOut, List<List<int[]>> partRows, List<List<List<Tensor>>> partValues, Field field,
                             int[] nfe) {
        Segment seg = null;
        int nOut = s.length;
        for (int a = 0; a < local.length; a++) {
            int b = rows[a];
            while (nextOut[b] < nOut && s[nextOut[b]] <= tNew[a]) {
                int j = nextOut[b];
                List<Tensor> value;
                if (!pastEnd && s[j] == tNew[a]) {
                    value = gatherLocal(yNew, new int[] {local[a]});
                } else {
                    if (seg == null) {
                        seg = unitSegment(yr, yNew, ks, hcol, kEnd, local, tNew, field, rows, nfe);
                    }
                    double[] theta = new double[yr.get(0).dim(0)];
                    theta[local[a]] = (s[j] - tr[local[a]]) / hr[local[a]];
                    value = gatherLocal(seg.atRows(theta), new int[] {local[a]});
                }
                partRows.get(j).add(new int[] {b});
                partValues.get(j).add(value);
                nextOut[b]++;
            }
        }
    }

    /**
     * The interpolant of this iteration's rows with each row's h folded into its stages (h = 1 in the formulas),
     * so one polynomial form serves rows with different steps.
     */
    private Segment unitSegment(List<Tensor> yr, List<Tensor> yNew, List<List<Tensor>> ks, Tensor[] hcol, List<Tensor> kEnd,
                                int[] local, double[] tNew, Field field, int[] rows, int[] nfe) {
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
            f1 = scaleRows(field.evalRows(te, yNew), hcol);
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
            return ErrorNorm.perSampleRms(ErrorNorm.sampleSums(err, yr, yNew, sc, null), per, m);
        }
        double[][] s5 = ErrorNorm.sampleSums(RkStepper.errorEstimate(tab.e(), 1.0, ks), yr, yNew, sc, null);
        double[][] s3 = ErrorNorm.sampleSums(RkStepper.errorEstimate(tab.e3(), 1.0, ks), yr, yNew, sc, null);
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

    private List<Tensor> evalStage(Field field, double[] tr, double[] hr, double c, List<Tensor> yi, int[] run, int[] attempts,
                                   int stage, int[] nfe) {
        double[] ts = new double[tr.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = c == 1.0 ? tr[i] + hr[i] : tr[i] + c * hr[i];
        }
        List<Tensor> kk = field.evalRows(ts, yi);
        int[] bad = Field.firstNonFinite(kk);
        if (bad != null) {
            throw field.nonFinite("f", cfg.phase(), tr[bad[0]], attempts[run[bad[0]]], stage, hr[bad[0]], Double.NaN,
                    Double.NaN, kk, bad, run);
        }
        for (int b : run) {
            nfe[b]++;
        }
        return kk;
    }

    private void checkFinite(Field field, List<Tensor> k, double t, int attempt, int stage, double h, int[] rows) {
        int[] bad = Field.firstNonFinite(k);
        if (bad != null) {
            throw field.nonFinite("f", cfg.phase(), t, attempt, stage, h, Double.NaN, Double.NaN, k, bad, rows);
        }
    }

    private SolveException rowError(SolveException.Kind kind, Field field, double t, int attempt, int sample, double h, String what) {
        double tt = field.sign() * t;
        return new SolveException(kind, cfg.phase(), tt, attempt, sample, kind + " during " + cfg.phase()
                + " solve at t=" + Field.fmt(tt) + " (attempt " + attempt + ", h=" + Field.fmt(h) + "): sample " + sample
                + ": " + what + ". Loosen the tolerances, raise the limits, or check the dynamics.");
    }

    private static double nextStop(double[] stops, double t) {
        for (double v : stops) {
            if (v > t) {
                return v;
            }
        }
        return stops[stops.length - 1];
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
        int[] order = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            order[i] = rows.get(i)[0];
            seen[order[i]] = true;
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
