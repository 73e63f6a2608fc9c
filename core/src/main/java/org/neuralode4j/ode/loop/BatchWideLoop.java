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
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.control.Tolerances;
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

    public BatchWideLoop(SolverConfig cfg) {
        this.cfg = cfg;
        this.tab = cfg.tableau();
        this.sc = cfg.stepControl();
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
        RkStepper stepper = new RkStepper(tab, field, sc.compat().perturbEndStages(), cfg.phase());
        StepGuard guard = new StepGuard(cfg, field);
        boolean pastEnd = sc.stops().pastEnd();
        int batch = y0.get(0).dim(0);
        int[] per = ErrorNorm.perSample(y0);
        double[] stops = sc.stops().stopsFor(s, sign);
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
            h = InitialStep.batchWide(field, t, y, k1, k, sc.tolerances());
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
        SampleStatus[] status = new SampleStatus[batch];
        Arrays.fill(status, SampleStatus.OK);
        int nonFiniteStreak = 0;

        while (nextOut < s.length) {
            StepGuard.Progress progress = new StepGuard.Progress(-1, attempts + 1, lastH, lastRatio, accepted, rejected);
            double stopAt = Double.NaN;
            try {
                h = guard.bound(t, h, progress);
                stopAt = sc.stops().clippedEnd(stops, t, h);
                if (!Double.isNaN(stopAt)) {
                    h = stopAt - t;
                }
                guard.checkUnderflow(t, h, progress);
                guard.checkMaxSteps(attempts, attemptsThisOutput, t, h, progress);
            } catch (SolveException e) {
                SampleStatus mark = guard.partialStatus(e);
                if (mark == null) {
                    throw e;
                }
                Arrays.fill(status, mark);
                break;
            }
            boolean onStop = !Double.isNaN(stopAt);
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
                    throw guard.nonFiniteRatio(t, h, new StepGuard.Progress(-1, attempts, lastH, lastRatio, accepted,
                            rejected), att.yNew(), null);
                }
            } catch (SolveException e) {
                if (e.kind() != SolveException.Kind.NON_FINITE || !guard.shrinksOnNonFinite(++nonFiniteStreak)) {
                    throw e;
                }
                rejected++;
                h *= sc.controller().facMin();
                state = new ControllerState(state.prevRatio(), true);
                continue;
            }
            nonFiniteStreak = 0;
            Controller.Decision d = sc.controller().decide(h, r, k, state);
            boolean accept = d.accept() || guard.acceptsAnyway(h);
            if (accept) {
                guard.checkFinite("the new state", t, 0, h, new StepGuard.Progress(-1, attempts, lastH, lastRatio, accepted,
                        rejected), att.yNew(), null);
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
        boolean maxOver = sc.tolerances().batchNorm() == Tolerances.BatchNorm.MAX_OVER_SAMPLES;
        double[][] sums = ErrorNorm.sampleSums(att.err(), y, att.yNew(), sc.tolerances(), null);
        if (att.err3() == null) {
            return maxOver ? ErrorNorm.maxOverSamples(sums, per, batch) : ErrorNorm.batchRms(sums, per);
        }
        double[][] sums3 = ErrorNorm.sampleSums(att.err3(), y, att.yNew(), sc.tolerances(), null);
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

    private static double[] toArray(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }
}
