package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.neuralode4j.ode.dense.DenseTrajectory;
import org.neuralode4j.ode.dense.Interpolants;
import org.neuralode4j.ode.dense.Segment;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Tensor;

/**
 * Adaptive solve with one step sequence for the whole batch (solvers.md §3, torchdiffeq semantics), in the
 * forward variable s = sign·t.
 *
 * <p>Each attempt: clip to the next stop (unless stepping past the end), check for underflow and limits, take
 * an {@link RkStepper} attempt, reduce the error to one ratio, ask the {@link Controller}. On acceptance the
 * outputs that fall inside the step are emitted — exactly at a step end, otherwise from the step's interpolant,
 * which is built only when an output or dense output needs it.
 */
public final class BatchWideLoop {
    private final SolverConfig cfg;
    private final Tableau tab;
    private final StepControl sc;
    private final Limits limits;

    public BatchWideLoop(SolverConfig cfg) {
        this.cfg = cfg;
        this.tab = cfg.tableau();
        this.sc = cfg.stepControl();
        this.limits = cfg.limits();
    }

    /**
     * @param f     the right-hand side
     * @param y0    initial state components [B, ...]
     * @param times output times (true time), strictly monotone, times[0] = t0
     * @param names component names for messages
     */
    public Solution solve(org.neuralode4j.ode.Dynamics f, List<Tensor> y0, double[] times, List<String> names) {
        double sign = times[times.length - 1] >= times[0] ? 1.0 : -1.0;
        double[] s = new double[times.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sign * times[i];
        }
        Field field = new Field(f, sign, names);
        RkStepper stepper = new RkStepper(tab, field, sc.perturbEndStages(), cfg.phase());
        boolean pastEnd = sc.overshoot() == StepControl.Overshoot.STEP_PAST_END;
        boolean torch = sc.controller().type() == Controller.Type.TORCHDIFFEQ;
        int batch = y0.get(0).dim(0);
        int[] per = ErrorNorm.perSample(y0);
        double[] stops = sc.stopsFor(s);
        int k = tab.errorOrder();

        List<List<Tensor>> outputs = new ArrayList<>(times.length);
        outputs.add(y0);
        List<Segment> segments = cfg.dense() ? new ArrayList<>() : null;
        List<Double> stepStarts = new ArrayList<>();
        List<Double> stepSizes = new ArrayList<>();

        double t = s[0];
        List<Tensor> y = y0;
        List<Tensor> k1 = evalInitial(field, t, y, stepper);
        int initialNfe = 1;
        double h;
        if (Double.isNaN(sc.firstStep())) {
            h = InitialStep.choose(field, t, y, k1, k, sc, false, batch)[0];
            initialNfe++;
        } else {
            h = sc.firstStep();
        }
        double firstStep = h;
        ControllerState state = sc.controller().initialState();
        int attempts = 0;
        int attemptsThisOutput = 0;
        int accepted = 0;
        int rejected = 0;
        double lastH = Double.NaN;
        double lastRatio = Double.NaN;
        int nextOut = 1;
        int nextStop = 0;
        SampleStatus[] status = new SampleStatus[batch];
        Arrays.fill(status, SampleStatus.OK);
        int nonFiniteStreak = 0;

        while (nextOut < s.length) {
            while (nextStop < stops.length && stops[nextStop] <= t) {
                nextStop++;
            }
            // Limits first: the step is checked as the controller proposed it.
            h = Math.min(h, limits.maxStep());
            if (h < limits.minStep()) {
                if (limits.minStepPolicy() == Limits.MinStepPolicy.FAIL) {
                    SolveException e = limitError(SolveException.Kind.MIN_STEP, field, t, attempts + 1, h, lastH, lastRatio,
                            accepted, rejected, "the controller asked for h=" + Field.fmt(h) + " below minStep="
                                    + Field.fmt(limits.minStep()) + ". Loosen the tolerances or lower minStep.");
                    if (partial(e, status, SampleStatus.MIN_STEP)) {
                        break;
                    }
                    throw e;
                }
                h = limits.minStep();
            }
            boolean onStop = false;
            double stopAt = Double.NaN;
            if (!pastEnd && nextStop < stops.length && t + sc.stopStretch() * h >= stops[nextStop]) {
                stopAt = stops[nextStop];
                h = stopAt - t;
                onStop = true;
            }
            if (t + h == t || !Double.isFinite(h) || (!torch && Math.abs(h) <= 10 * 0x1p-53 * Math.abs(t))) {
                SolveException e = limitError(SolveException.Kind.STEP_UNDERFLOW, field, t, attempts + 1, h, lastH, lastRatio,
                        accepted, rejected, "the step size underflowed (h=" + Field.fmt(h) + "); the solution may blow up"
                                + " near here, or the problem is stiff: check the dynamics or use looser tolerances.");
                if (partial(e, status, SampleStatus.FAILED)) {
                    break;
                }
                throw e;
            }
            int counter = torch || sc.maxStepsPerOutput() ? attemptsThisOutput : attempts;
            if (counter >= limits.maxSteps()) {
                SolveException e = limitError(SolveException.Kind.MAX_STEPS, field, t, attempts + 1, h, lastH, lastRatio,
                        accepted, rejected, "reached maxSteps=" + limits.maxSteps() + " before t1. Raise maxSteps, loosen"
                                + " the tolerances, regularise the dynamics, or (in training) lower the learning rate.");
                if (partial(e, status, SampleStatus.MAX_STEPS)) {
                    break;
                }
                throw e;
            }
            attempts++;
            attemptsThisOutput++;
            if (k1 == null) {
                k1 = evalK1(field, stepper, t, y, attempts, h, lastH, lastRatio);
            }
            RkStepper.Attempt att;
            double r;
            try {
                att = stepper.attempt(t, h, y, k1, true, attempts, lastH, lastRatio);
                r = ratio(att, y, h, per, batch);
                if (!Double.isFinite(r)) {
                    int[] bad = Field.firstNonFinite(att.yNew());
                    throw field.nonFinite("the new state", cfg.phase(), t, attempts, 0, h, lastH, lastRatio, att.yNew(),
                            bad != null ? bad : new int[] {0, 0, 0});
                }
            } catch (SolveException e) {
                if (e.kind() != SolveException.Kind.NON_FINITE || limits.nonFinite() != Limits.NonFinitePolicy.REJECT_AND_SHRINK
                        || ++nonFiniteStreak > 10) {
                    throw e;
                }
                rejected++;
                h *= sc.controller().facMin();
                state = new ControllerState(state.prevRatio(), true);
                continue;
            }
            nonFiniteStreak = 0;
            Controller.Decision d = sc.controller().decide(h, r, k, state);
            boolean accept = d.accept() || (limits.minStepPolicy() == Limits.MinStepPolicy.ACCEPT && h <= limits.minStep());
            if (accept) {
                int[] bad = Field.firstNonFinite(att.yNew());
                if (bad != null) {
                    throw field.nonFinite("the new state", cfg.phase(), t, attempts, 0, h, lastH, lastRatio, att.yNew(), bad);
                }
                double tNew = onStop ? stopAt : t + h;
                List<List<Tensor>> ks = att.k();
                List<Tensor> kEnd = null;
                if (stepper.defersLastStage()) {
                    kEnd = stepper.finishStage(t, h, att.yNew(), attempts);
                    ks = new ArrayList<>(ks);
                    ks.add(kEnd);
                } else if (stepper.fsal()) {
                    kEnd = ks.get(ks.size() - 1);
                }
                boolean needSegment = segments != null || outputInside(s, nextOut, t, tNew, pastEnd);
                Segment seg = null;
                if (needSegment) {
                    List<Tensor> f1 = null;
                    if (Interpolants.needsEndDerivative(tab)) {
                        // The next step's k_1: computed now, reused below, so the only extra cost is on the last step.
                        f1 = evalK1(field, stepper, tNew, att.yNew(), attempts, h, lastH, lastRatio);
                        kEnd = f1;
                    }
                    if (Interpolants.needsExtraStages(tab)) {
                        ks = stepper.withDenseStages(t, h, y, ks, attempts);
                    }
                    seg = Interpolants.build(tab, t, h, y, att.yNew(), ks, f1);
                    if (segments != null) {
                        segments.add(seg);
                    }
                }
                while (nextOut < s.length && s[nextOut] <= tNew) {
                    if (!pastEnd && s[nextOut] == tNew) {
                        outputs.add(att.yNew());
                    } else {
                        outputs.add(seg.at((s[nextOut] - t) / h));
                    }
                    nextOut++;
                    attemptsThisOutput = 0;
                }
                stepStarts.add(sign * t);
                stepSizes.add(sign * (tNew - t));
                t = tNew;
                y = att.yNew();
                k1 = kEnd;
                accepted++;
                lastH = h;
                lastRatio = r;
            } else {
                rejected++;
            }
            h = d.nextH();
            state = d.state();
        }
        while (outputs.size() < s.length) {
            outputs.add(nanLike(y0));
        }
        long denseBytes = 0;
        DenseTrajectory dense = null;
        if (segments != null) {
            dense = new DenseTrajectory(segments, sign, times[0], times[times.length - 1]);
            denseBytes = dense.bytes();
        }
        SolveStats stats = new SolveStats(field.calls(), initialNfe, attempts, accepted, rejected, field.rowEvaluations(),
                firstStep, denseBytes, null, null, null, null);
        return new Solution(times, outputs, status, stats, dense, toArray(stepStarts), toArray(stepSizes));
    }

    private List<Tensor> evalInitial(Field field, double t, List<Tensor> y, RkStepper stepper) {
        int[] bad = Field.firstNonFinite(y);
        if (bad != null) {
            throw field.nonFinite("the initial state", cfg.phase(), t, 0, 0, Double.NaN, Double.NaN, Double.NaN, y, bad);
        }
        return evalK1(field, stepper, t, y, 0, Double.NaN, Double.NaN, Double.NaN);
    }

    private List<Tensor> evalK1(Field field, RkStepper stepper, double t, List<Tensor> y, int attempt, double h,
                                double lastH, double lastRatio) {
        List<Tensor> k = field.eval(t, y);
        int[] bad = Field.firstNonFinite(k);
        if (bad != null) {
            throw field.nonFinite("f", cfg.phase(), t, attempt, 1, h, lastH, lastRatio, k, bad);
        }
        return k;
    }

    private static boolean outputInside(double[] s, int nextOut, double t, double tNew, boolean pastEnd) {
        return nextOut < s.length && (s[nextOut] < tNew || (pastEnd && s[nextOut] <= tNew));
    }

    /** The step's error ratio under the configured scope; DOP853 combines its two estimates (§1.2). */
    private double ratio(RkStepper.Attempt att, List<Tensor> y, double h, int[] per, int batch) {
        boolean maxOver = sc.batchNorm() == StepControl.BatchNorm.MAX_OVER_SAMPLES;
        double[][] sums = ErrorNorm.sampleSums(att.err(), y, att.yNew(), sc, null);
        if (att.err3() == null) {
            return maxOver ? ErrorNorm.maxOverSamples(sums, per, batch) : ErrorNorm.batchRms(sums, per);
        }
        double[][] sums3 = ErrorNorm.sampleSums(att.err3(), y, att.yNew(), sc, null);
        if (maxOver) {
            double r = 0;
            for (double v : ErrorNorm.dop853PerSample(h, sums, sums3, per, batch)) {
                r = Math.max(r, v);
            }
            return r;
        }
        return ErrorNorm.dop853Batch(h, sums, sums3, per);
    }

    private static List<Tensor> nanLike(List<Tensor> y) {
        List<Tensor> out = new ArrayList<>(y.size());
        for (Tensor t : y) {
            out.add(Tensor.full(t.dtype(), Double.NaN, t.shape()));
        }
        return out;
    }

    private boolean partial(SolveException e, SampleStatus[] status, SampleStatus mark) {
        if (limits.onLimit() != Limits.OnLimit.RETURN_PARTIAL) {
            return false;
        }
        Arrays.fill(status, mark);
        return true;
    }

    private SolveException limitError(SolveException.Kind kind, Field field, double t, int attempt, double h, double lastH,
                                      double lastRatio, int accepted, int rejected, String what) {
        double tt = field.sign() * t;
        String msg = kind + " during " + cfg.phase() + " solve at t=" + Field.fmt(tt) + " (attempt " + attempt + ", h="
                + Field.fmt(h) + (Double.isNaN(lastH) ? "" : ", last accepted h=" + Field.fmt(lastH) + ", last ratio "
                + Field.fmt(lastRatio)) + "; " + accepted + " accepted, " + rejected + " rejected): " + what;
        return new SolveException(kind, cfg.phase(), tt, attempt, -1, msg);
    }

    private static double[] toArray(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }
}
