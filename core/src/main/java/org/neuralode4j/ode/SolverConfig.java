package org.neuralode4j.ode;

import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.Limits;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Tableau;

/**
 * Everything a solve needs besides the problem: the method, adaptive or fixed stepping, limits, batch mode and
 * whether to keep dense output. Validated when built; changed only through {@code withX} copies.
 *
 * @param tableau     the Runge–Kutta method
 * @param stepControl adaptive step control, or null for fixed steps
 * @param fixedSteps  fixed-step settings, or null for adaptive
 * @param limits      max steps, step bounds, failure policies
 * @param batchMode   one step sequence for the batch, or one per sample
 * @param dense       keep every step's interpolant for {@link Solution#evaluate(double)}
 * @param phase       which solve this is, for error messages (forward, or a gradient method's backward solve)
 */
public record SolverConfig(Tableau tableau, StepControl stepControl, FixedSteps fixedSteps, Limits limits,
                           BatchMode batchMode, boolean dense, SolveException.Phase phase) {

    public SolverConfig {
        if (tableau == null || limits == null || batchMode == null || phase == null) {
            throw new ConfigException("solver config: tableau, limits, batchMode and phase are required");
        }
        if ((stepControl == null) == (fixedSteps == null)) {
            throw new ConfigException("solver config: give either adaptive step control or fixed steps, not "
                    + (stepControl == null ? "neither" : "both"));
        }
        if (stepControl != null && !tableau.adaptive()) {
            throw ConfigException.of("tableau", tableau.name(), "has no error estimate: use fixed steps, or an adaptive "
                    + "method (HEUN, BOSH3, DOPRI5, TSIT5, DOP853)");
        }
        if (fixedSteps != null && limits.nonFinite() == org.neuralode4j.ode.control.Limits.NonFinitePolicy.REJECT_AND_SHRINK) {
            throw ConfigException.of("nonFinite", limits.nonFinite(), "needs adaptive steps (a fixed grid cannot shrink"
                    + " a step): use adaptive step control, or NonFinitePolicy.FAIL");
        }
        if (fixedSteps != null && batchMode == BatchMode.PER_SAMPLE) {
            throw ConfigException.of("batchMode", batchMode, "per-sample control needs adaptive steps");
        }
    }

    /** Adaptive solve with the given method and control, default limits, batch-wide. */
    public static SolverConfig adaptive(Tableau tableau, StepControl control) {
        return new SolverConfig(tableau, control, null, Limits.defaults(), BatchMode.BATCH_WIDE, false, SolveException.Phase.FORWARD);
    }

    /** Fixed-step solve. */
    public static SolverConfig fixed(Tableau tableau, FixedSteps steps) {
        return new SolverConfig(tableau, null, steps, Limits.defaults(), BatchMode.BATCH_WIDE, false, SolveException.Phase.FORWARD);
    }

    public boolean isAdaptive() {
        return stepControl != null;
    }

    public SolverConfig withTableau(Tableau t) {
        return new SolverConfig(t, stepControl, fixedSteps, limits, batchMode, dense, phase);
    }

    public SolverConfig withStepControl(StepControl c) {
        return new SolverConfig(tableau, c, null, limits, batchMode, dense, phase);
    }

    public SolverConfig withFixedSteps(FixedSteps f) {
        return new SolverConfig(tableau, null, f, limits, batchMode, dense, phase);
    }

    public SolverConfig withLimits(Limits l) {
        return new SolverConfig(tableau, stepControl, fixedSteps, l, batchMode, dense, phase);
    }

    public SolverConfig withBatchMode(BatchMode m) {
        return new SolverConfig(tableau, stepControl, fixedSteps, limits, m, dense, phase);
    }

    public SolverConfig withDense(boolean on) {
        return new SolverConfig(tableau, stepControl, fixedSteps, limits, batchMode, on, phase);
    }

    public SolverConfig withPhase(SolveException.Phase p) {
        return new SolverConfig(tableau, stepControl, fixedSteps, limits, batchMode, dense, p);
    }
}
