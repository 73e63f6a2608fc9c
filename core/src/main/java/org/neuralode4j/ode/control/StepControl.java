package org.neuralode4j.ode.control;

import org.neuralode4j.ode.ConfigException;

/**
 * Adaptive step control (solvers.md §3), composed of small records: what the error is measured against
 * ({@link Tolerances}), the step-size {@link Controller}, the first step, where steps must end ({@link Stops})
 * and the torchdiffeq loop details ({@link TorchdiffeqCompat}). Immutable; change with the {@code withX}
 * copies. Presets are named after their source.
 *
 * @param tolerances tolerances, seminorm mask and batch error scope
 * @param controller the step-size controller
 * @param firstStep  user's first step size, or NaN for the §3.3 heuristic
 * @param stops      forced step ends, or stepping past the end
 * @param compat     torchdiffeq loop details
 */
public record StepControl(Tolerances tolerances, Controller controller, double firstStep, Stops stops,
                          TorchdiffeqCompat compat) {

    public StepControl {
        if (tolerances == null || controller == null || stops == null || compat == null) {
            throw new ConfigException("step control: tolerances, controller, stops and compat are required");
        }
        if (!Double.isNaN(firstStep) && !(firstStep > 0 && Double.isFinite(firstStep))) {
            throw ConfigException.of("firstStep", firstStep, "must be positive and finite, or NaN for the automatic choice");
        }
    }

    /** Default control: I controller, clip to stops, RMS over the batch, automatic first step. */
    public static StepControl of(double rtol, double atol) {
        return new StepControl(Tolerances.of(rtol, atol), Controller.integral(), Double.NaN, Stops.clipToEnd(),
                TorchdiffeqCompat.off());
    }

    /**
     * torchdiffeq 0.2.5's {@code dopri5} with default options (§3.4): its controller, stepping past the end,
     * interpolated outputs, max-steps per output interval, end stages perturbed. Use with
     * {@code Dopri5.TORCHDIFFEQ} for NFE comparable with PyTorch users' numbers.
     */
    public static StepControl torchdiffeqDopri5(double rtol, double atol) {
        return new StepControl(Tolerances.of(rtol, atol), Controller.torchdiffeq(), Double.NaN, Stops.stepPastEnd(),
                TorchdiffeqCompat.on());
    }

    public StepControl withTolerances(Tolerances t) {
        return new StepControl(t, controller, firstStep, stops, compat);
    }

    public StepControl withStops(Stops s) {
        return new StepControl(tolerances, controller, firstStep, s, compat);
    }

    public StepControl withCompat(TorchdiffeqCompat c) {
        return new StepControl(tolerances, controller, firstStep, stops, c);
    }

    public StepControl withTolerances(double newRtol, double newAtol) {
        return withTolerances(tolerances.withScalar(newRtol, newAtol));
    }

    /** Per-component tolerances (one entry per state component). */
    public StepControl withComponentTolerances(double[] rtols, double[] atols) {
        return withTolerances(tolerances.withComponents(rtols, atols));
    }

    /** The seminorm mask: per component, whether it counts in the error norm. */
    public StepControl withCounted(boolean... c) {
        return withTolerances(tolerances.withCounted(c));
    }

    public StepControl withBatchNorm(Tolerances.BatchNorm b) {
        return withTolerances(tolerances.withBatchNorm(b));
    }

    public StepControl withController(Controller c) {
        return new StepControl(tolerances, c, firstStep, stops, compat);
    }

    public StepControl withFirstStep(double h) {
        return new StepControl(tolerances, controller, h, stops, compat);
    }

    public StepControl withOvershoot(Stops.Overshoot o) {
        return withStops(stops.withOvershoot(o));
    }

    public StepControl withStopStretch(double s) {
        return withStops(stops.withStopStretch(s));
    }

    public StepControl withTstops(double... t) {
        return withStops(stops.withTstops(t));
    }

    public StepControl withStopAtOutputs(boolean on) {
        return withStops(stops.withStopAtOutputs(on));
    }

    public StepControl withPerturbEndStages(boolean on) {
        return withCompat(new TorchdiffeqCompat(on, compat.maxStepsPerOutput()));
    }

    /** Shortcuts into the parts, for callers that read one setting. */
    public double rtol() {
        return tolerances.rtol();
    }

    public double atol() {
        return tolerances.atol();
    }

    public Stops.Overshoot overshoot() {
        return stops.overshoot();
    }

    /** Whether component i counts in the error norm. */
    public boolean counts(int i) {
        return tolerances.counts(i);
    }
}
