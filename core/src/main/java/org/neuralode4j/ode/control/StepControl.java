package org.neuralode4j.ode.control;

import java.util.Arrays;
import org.neuralode4j.ode.ConfigException;

/**
 * Adaptive step control (solvers.md §3): tolerances, error-norm mask, controller, error scope, overshoot rule.
 * Immutable; change with the {@code withX} copies. Presets are named after their source.
 *
 * @param rtol             relative tolerance for every component without its own
 * @param atol             absolute tolerance for every component without its own
 * @param componentRtol    per-component relative tolerances, or null
 * @param componentAtol    per-component absolute tolerances, or null
 * @param counted          per component: true when it counts in the error norm (§3.2 seminorm); null = all
 * @param controller       the step-size controller
 * @param batchNorm        error scope under batch-wide control (§3.1)
 * @param overshoot        clip steps to stops, or step past the end and interpolate (torchdiffeq)
 * @param firstStep        user's first step size, or NaN for the §3.3 heuristic
 * @param stopStretch      a step within this factor of a stop is stretched to end on it (Hairer's 1.01)
 * @param tstops           extra forced step ends (e.g. IRDM nodes), or empty
 * @param stopAtOutputs    make every output time a forced step end (no interpolation of outputs)
 * @param perturbEndStages evaluate stages with c = 1 at the double just before t + h (torchdiffeq)
 * @param maxStepsPerOutput the max-steps counter restarts at every output time (torchdiffeq)
 */
public record StepControl(double rtol, double atol, double[] componentRtol, double[] componentAtol, boolean[] counted,
                          Controller controller, BatchNorm batchNorm, Overshoot overshoot, double firstStep,
                          double stopStretch, double[] tstops, boolean stopAtOutputs, boolean perturbEndStages,
                          boolean maxStepsPerOutput) {

    /** How the error of a batch is reduced to one ratio under batch-wide control. */
    public enum BatchNorm {
        /** RMS over all elements of the batch (torchdiffeq). */
        RMS_ALL,
        /** Max over samples of each sample's ratio: every sample meets its tolerance. */
        MAX_OVER_SAMPLES
    }

    /** What happens at output times and the end of the interval. */
    public enum Overshoot {
        /** Steps end exactly on t1 and on tstops (default). */
        CLIP_TO_STOPS,
        /** Steps are never clipped; outputs, including t1, are interpolated (torchdiffeq). */
        STEP_PAST_END
    }

    public StepControl {
        checkTol("rtol", rtol);
        checkTol("atol", atol);
        if (componentRtol != null) {
            for (double v : componentRtol) {
                checkTol("componentRtol", v);
            }
            componentRtol = componentRtol.clone();
        }
        if (componentAtol != null) {
            for (double v : componentAtol) {
                checkTol("componentAtol", v);
            }
            componentAtol = componentAtol.clone();
        }
        if (counted != null) {
            boolean any = false;
            for (boolean c : counted) {
                any |= c;
            }
            if (!any) {
                throw ConfigException.of("counted", Arrays.toString(counted), "at least one component must count in the error norm");
            }
            counted = counted.clone();
        }
        if (controller == null || batchNorm == null || overshoot == null) {
            throw new ConfigException("step control: controller, batchNorm and overshoot are required");
        }
        if (!Double.isNaN(firstStep) && !(firstStep > 0 && Double.isFinite(firstStep))) {
            throw ConfigException.of("firstStep", firstStep, "must be positive and finite, or NaN for the automatic choice");
        }
        if (!(stopStretch >= 1.0 && stopStretch < 2.0)) {
            throw ConfigException.of("stopStretch", stopStretch, "must be in [1, 2)");
        }
        tstops = tstops == null ? new double[0] : tstops.clone();
        for (double s : tstops) {
            if (!Double.isFinite(s)) {
                throw ConfigException.of("tstops", Arrays.toString(tstops), "must be finite");
            }
        }
    }

    private static void checkTol(String name, double v) {
        if (!(v >= 0)) {
            throw ConfigException.of(name, v, "tolerances must be >= 0 (and not NaN)");
        }
    }

    /** Default control: I controller, clip to stops, RMS over the batch, automatic first step. */
    public static StepControl of(double rtol, double atol) {
        return new StepControl(rtol, atol, null, null, null, Controller.integral(), BatchNorm.RMS_ALL,
                Overshoot.CLIP_TO_STOPS, Double.NaN, 1.01, null, false, false, false);
    }

    /**
     * torchdiffeq 0.2.5's {@code dopri5} with default options (§3.4): its controller, stepping past the end,
     * interpolated outputs, max-steps per output interval, end stages perturbed. Use with
     * {@code Dopri5.TORCHDIFFEQ} for NFE comparable with PyTorch users' numbers.
     */
    public static StepControl torchdiffeqDopri5(double rtol, double atol) {
        return new StepControl(rtol, atol, null, null, null, Controller.torchdiffeq(), BatchNorm.RMS_ALL,
                Overshoot.STEP_PAST_END, Double.NaN, 1.0, null, false, true, true);
    }

    public StepControl withTolerances(double newRtol, double newAtol) {
        return new StepControl(newRtol, newAtol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    /** Per-component tolerances (one entry per state component). */
    public StepControl withComponentTolerances(double[] rtols, double[] atols) {
        return new StepControl(rtol, atol, rtols, atols, counted, controller, batchNorm, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    /** The seminorm mask: per component, whether it counts in the error norm. */
    public StepControl withCounted(boolean... c) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, c, controller, batchNorm, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withController(Controller c) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, c, batchNorm, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withBatchNorm(BatchNorm b) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, b, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withOvershoot(Overshoot o) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, o,
                firstStep, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withFirstStep(double h) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                h, stopStretch, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withStopStretch(double s) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                firstStep, s, tstops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withTstops(double... stops) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                firstStep, stopStretch, stops, stopAtOutputs, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withStopAtOutputs(boolean on) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                firstStep, stopStretch, tstops, on, perturbEndStages, maxStepsPerOutput);
    }

    public StepControl withPerturbEndStages(boolean on) {
        return new StepControl(rtol, atol, componentRtol, componentAtol, counted, controller, batchNorm, overshoot,
                firstStep, stopStretch, tstops, stopAtOutputs, on, maxStepsPerOutput);
    }

    /** Relative tolerance of component i. */
    public double rtolOf(int i) {
        return componentRtol != null && i < componentRtol.length ? componentRtol[i] : rtol;
    }

    /** Absolute tolerance of component i. */
    public double atolOf(int i) {
        return componentAtol != null && i < componentAtol.length ? componentAtol[i] : atol;
    }

    /**
     * Forced step ends in the forward variable s = sign·t, sorted: t1, the tstops inside the span and, with
     * {@code stopAtOutputs}, every interior output time. Empty when stepping past the end.
     *
     * @param s    output times in the forward variable, increasing
     * @param sign the direction of the solve in true time (tstops are true times; s, always increasing, cannot
     *             tell a backward solve from a forward one)
     */
    public double[] stopsFor(double[] s, double sign) {
        if (overshoot == Overshoot.STEP_PAST_END) {
            return new double[0];
        }
        java.util.List<Double> st = new java.util.ArrayList<>();
        st.add(s[s.length - 1]);
        for (double v : tstops) {
            double sv = sign * v;
            if (sv > s[0] && sv < s[s.length - 1]) {
                st.add(sv);
            }
        }
        if (stopAtOutputs) {
            for (int i = 1; i < s.length - 1; i++) {
                st.add(s[i]);
            }
        }
        return st.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    }

    /** Whether component i counts in the error norm. */
    public boolean counts(int i) {
        return counted == null || (i < counted.length && counted[i]);
    }
}
