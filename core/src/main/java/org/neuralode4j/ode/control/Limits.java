package org.neuralode4j.ode.control;

import org.neuralode4j.ode.ConfigException;

/**
 * Limits of a solve and what happens when one is hit (solvers.md §5).
 *
 * @param maxSteps       attempted steps per solve (per sample in per-sample mode)
 * @param minStep        smallest step size allowed (0: off)
 * @param maxStep        largest step size allowed
 * @param minStepPolicy  FAIL with MIN_STEP, or ACCEPT a clamped step (torchdiffeq)
 * @param onLimit        THROW, or RETURN_PARTIAL: a solution whose unreached outputs are NaN
 * @param nonFinite      FAIL on NaN/Inf, or REJECT_AND_SHRINK (treat as r = ∞, at most 10 times in a row;
 *                       adaptive solves only, per sample under per-sample control)
 */
public record Limits(int maxSteps, double minStep, double maxStep, MinStepPolicy minStepPolicy, OnLimit onLimit,
                     NonFinitePolicy nonFinite) {

    public enum MinStepPolicy { FAIL, ACCEPT }

    public enum OnLimit { THROW, RETURN_PARTIAL }

    public enum NonFinitePolicy { FAIL, REJECT_AND_SHRINK }

    public Limits {
        if (maxSteps < 1) {
            throw ConfigException.of("maxSteps", maxSteps, "must be >= 1");
        }
        if (!(minStep >= 0) || !(maxStep > minStep)) {
            throw ConfigException.of("minStep/maxStep", minStep + "/" + maxStep, "need 0 <= minStep < maxStep");
        }
        if (minStepPolicy == null || onLimit == null || nonFinite == null) {
            throw new ConfigException("limits: policies are required");
        }
    }

    /** 100 000 steps, no min or max step, fail on everything. */
    public static Limits defaults() {
        return new Limits(100_000, 0.0, Double.POSITIVE_INFINITY, MinStepPolicy.FAIL, OnLimit.THROW, NonFinitePolicy.FAIL);
    }

    public Limits withMaxSteps(int n) {
        return new Limits(n, minStep, maxStep, minStepPolicy, onLimit, nonFinite);
    }

    public Limits withStepBounds(double min, double max, MinStepPolicy policy) {
        return new Limits(maxSteps, min, max, policy, onLimit, nonFinite);
    }

    public Limits withOnLimit(OnLimit o) {
        return new Limits(maxSteps, minStep, maxStep, minStepPolicy, o, nonFinite);
    }

    public Limits withNonFinite(NonFinitePolicy p) {
        return new Limits(maxSteps, minStep, maxStep, minStepPolicy, onLimit, p);
    }
}
