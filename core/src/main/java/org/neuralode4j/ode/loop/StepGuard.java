package org.neuralode4j.ode.loop;

import java.util.List;
import org.neuralode4j.ode.SampleStatus;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.Controller;
import org.neuralode4j.ode.control.Limits;
import org.neuralode4j.tensor.Tensor;

/**
 * The policies every solve loop applies to its steps (solvers.md §5), written once for the batch-wide,
 * per-sample and fixed-step loops: the step bounds and min-step policy, the underflow test, the max-steps limit,
 * what a non-finite value does (fail, or reject and shrink at most {@value #MAX_NON_FINITE_STREAK} times in a
 * row), which failures {@code RETURN_PARTIAL} turns into a sample status, and the one-line diagnostics.
 *
 * <p>A loop calls {@link #bound}, then clips to its stop ({@link org.neuralode4j.ode.control.Stops#clippedEnd}),
 * then {@link #checkUnderflow} and {@link #checkMaxSteps}: the step is bounded as the controller proposed it and
 * tested as it will be taken. Per-sample loops call the same methods once per running sample. The fixed-step
 * loop uses the non-finite checks and diagnostics only: its grid is the user's explicit choice, so maxSteps and
 * the step bounds do not apply, and {@code REJECT_AND_SHRINK} is refused by {@code SolverConfig} (a grid cannot
 * shrink).
 */
final class StepGuard {
    /** Consecutive non-finite rejections tolerated by {@code REJECT_AND_SHRINK} before the solve fails. */
    static final int MAX_NON_FINITE_STREAK = 10;

    private final Limits limits;
    private final Field field;
    private final SolveException.Phase phase;
    /** Hairer's relative test |h| ≤ 10·u·|t|; off for the torchdiffeq controller, which tests only t + h == t. */
    private final boolean relativeUnderflow;
    /** The max-steps counter restarts at every output time (torchdiffeq). */
    private final boolean countPerOutput;

    StepGuard(SolverConfig cfg, Field field) {
        this.limits = cfg.limits();
        this.field = field;
        this.phase = cfg.phase();
        boolean torch = cfg.isAdaptive() && cfg.stepControl().controller().type() == Controller.Type.TORCHDIFFEQ;
        this.relativeUnderflow = !torch;
        this.countPerOutput = torch || (cfg.isAdaptive() && cfg.stepControl().compat().maxStepsPerOutput());
    }

    /**
     * Where a loop stands, for the diagnostics.
     *
     * @param sample    the sample the check is for, or −1 for the whole batch
     * @param attempt   1-based index of the attempt being checked
     * @param lastH     last accepted step, or NaN
     * @param lastRatio last accepted error ratio, or NaN
     * @param accepted  accepted steps so far
     * @param rejected  rejected steps so far
     */
    record Progress(int sample, int attempt, double lastH, double lastRatio, int accepted, int rejected) {
        static Progress start(int sample) {
            return new Progress(sample, 0, Double.NaN, Double.NaN, 0, 0);
        }
    }

    /** The proposed step clamped to maxStep, and raised to minStep or refused (MIN_STEP) by the min-step policy. */
    double bound(double t, double h, Progress p) {
        h = Math.min(h, limits.maxStep());
        if (h < limits.minStep()) {
            if (limits.minStepPolicy() == Limits.MinStepPolicy.FAIL) {
                throw limitError(SolveException.Kind.MIN_STEP, t, h, p, "the controller asked for h=" + Field.fmt(h)
                        + " below minStep=" + Field.fmt(limits.minStep()) + ". Loosen the tolerances or lower minStep.");
            }
            h = limits.minStep();
        }
        return h;
    }

    /** STEP_UNDERFLOW when the step no longer moves t, is not finite, or (Hairer) is below 10 ulps of t. */
    void checkUnderflow(double t, double h, Progress p) {
        if (t + h == t || !Double.isFinite(h) || (relativeUnderflow && Math.abs(h) <= 10 * 0x1p-53 * Math.abs(t))) {
            throw limitError(SolveException.Kind.STEP_UNDERFLOW, t, h, p, "the step size underflowed (h=" + Field.fmt(h)
                    + "); the solution may blow up near here, or the problem is stiff: check the dynamics or use looser"
                    + " tolerances.");
        }
    }

    /**
     * MAX_STEPS when the attempts counted so far reach the limit.
     *
     * @param attempts          attempts of the solve (or sample)
     * @param attemptsThisOutput attempts since the last output time was reached
     */
    void checkMaxSteps(int attempts, int attemptsThisOutput, double t, double h, Progress p) {
        if ((countPerOutput ? attemptsThisOutput : attempts) >= limits.maxSteps()) {
            throw limitError(SolveException.Kind.MAX_STEPS, t, h, p, "reached maxSteps=" + limits.maxSteps() + " before t1"
                    + (p.sample() >= 0 ? " for this sample" : "") + ". Raise maxSteps, loosen the tolerances, regularise"
                    + " the dynamics, or (in training) lower the learning rate.");
        }
    }

    /** A step at (or below) minStep is accepted whatever its error under the ACCEPT policy (torchdiffeq). */
    boolean acceptsAnyway(double h) {
        return limits.minStepPolicy() == Limits.MinStepPolicy.ACCEPT && h <= limits.minStep();
    }

    /**
     * Whether a non-finite attempt is rejected and retried with h·facMin rather than failing the solve.
     *
     * @param streak consecutive non-finite attempts, this one included
     */
    boolean shrinksOnNonFinite(int streak) {
        return limits.nonFinite() == Limits.NonFinitePolicy.REJECT_AND_SHRINK && streak <= MAX_NON_FINITE_STREAK;
    }

    /** Whether {@code REJECT_AND_SHRINK} is on at all (loops then look for non-finite rows instead of throwing). */
    boolean mayShrinkOnNonFinite() {
        return limits.nonFinite() == Limits.NonFinitePolicy.REJECT_AND_SHRINK;
    }

    /**
     * The status a limit failure leaves on the samples it stops under {@code RETURN_PARTIAL}, or null when the
     * failure must be thrown (policy THROW, or a non-finite value, which is never partial).
     */
    SampleStatus partialStatus(SolveException e) {
        if (limits.onLimit() != Limits.OnLimit.RETURN_PARTIAL) {
            return null;
        }
        return switch (e.kind()) {
            case MAX_STEPS -> SampleStatus.MAX_STEPS;
            case MIN_STEP -> SampleStatus.MIN_STEP;
            case STEP_UNDERFLOW -> SampleStatus.FAILED;
            case NON_FINITE -> null;
        };
    }

    /** NON_FINITE if {@code values} hold a NaN/Inf; row i of values is sample rowMap[i] (null: row i is sample i). */
    void checkFinite(String where, double t, int stage, double h, Progress p, List<Tensor> values, int[] rowMap) {
        int[] bad = Field.firstNonFinite(values);
        if (bad != null) {
            throw field.nonFinite(where, phase, t, p.attempt(), stage, h, p.lastH(), p.lastRatio(), values, bad, rowMap);
        }
    }

    /** One-line limit error (solvers.md §5 "What the error reports"). */
    SolveException limitError(SolveException.Kind kind, double t, double h, Progress p, String what) {
        double tt = field.sign() * t;
        String msg = kind + " during " + phase + " solve at t=" + Field.fmt(tt) + " (attempt " + p.attempt() + ", h="
                + Field.fmt(h) + (Double.isNaN(p.lastH()) ? "" : ", last accepted h=" + Field.fmt(p.lastH())
                + ", last ratio " + Field.fmt(p.lastRatio())) + "; " + p.accepted() + " accepted, " + p.rejected()
                + " rejected)" + (p.sample() >= 0 ? ": sample " + p.sample() : "") + ": " + what;
        return new SolveException(kind, phase, tt, p.attempt(), p.sample(), msg);
    }

    /** NON_FINITE for a non-finite error ratio whose values could not be located (a norm overflowed). */
    SolveException nonFiniteRatio(double t, double h, Progress p, List<Tensor> yNew, int[] rowMap) {
        int[] bad = Field.firstNonFinite(yNew);
        return field.nonFinite("the new state", phase, t, p.attempt(), 0, h, p.lastH(), p.lastRatio(), yNew,
                bad != null ? bad : new int[] {0, 0, 0}, rowMap);
    }
}
