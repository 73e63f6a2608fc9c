package org.neuralode4j.ode.control;

/**
 * The two details of torchdiffeq 0.2.5's {@code dopri5} loop that change step sequences beyond its controller
 * (solvers.md §3.4): kept apart from the tolerances and stops so that the compatible preset is one switch.
 *
 * @param perturbEndStages  evaluate stages with c = 1 at the double just before t + h
 * @param maxStepsPerOutput the max-steps counter restarts at every output time
 */
public record TorchdiffeqCompat(boolean perturbEndStages, boolean maxStepsPerOutput) {

    /** neuralode4j's own behaviour: neither detail. */
    public static TorchdiffeqCompat off() {
        return new TorchdiffeqCompat(false, false);
    }

    /** Both details, as torchdiffeq 0.2.5 does them. */
    public static TorchdiffeqCompat on() {
        return new TorchdiffeqCompat(true, true);
    }
}
