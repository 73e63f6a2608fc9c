package org.neuralode4j.ode.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.ode.ConfigException;

/**
 * Where steps are forced to end (solvers.md §3.5, "Stops"): t1, extra stops and optionally every output time,
 * or nowhere when stepping past the end as torchdiffeq does. Immutable.
 *
 * @param overshoot     clip steps to stops, or step past the end and interpolate (torchdiffeq)
 * @param stopStretch   a step within this factor of a stop is stretched to end on it (Hairer's 1.01)
 * @param tstops        extra forced step ends (e.g. IRDM nodes), or empty
 * @param stopAtOutputs make every output time a forced step end (no interpolation of outputs)
 */
public record Stops(Overshoot overshoot, double stopStretch, double[] tstops, boolean stopAtOutputs) {

    /** What happens at output times and the end of the interval. */
    public enum Overshoot {
        /** Steps end exactly on t1 and on tstops (default). */
        CLIP_TO_STOPS,
        /** Steps are never clipped; outputs, including t1, are interpolated (torchdiffeq). */
        STEP_PAST_END
    }

    public Stops {
        if (overshoot == null) {
            throw new ConfigException("step control: overshoot is required");
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

    /** Steps end on t1 (stretched by Hairer's 1.01), outputs in between are interpolated. */
    public static Stops clipToEnd() {
        return new Stops(Overshoot.CLIP_TO_STOPS, 1.01, null, false);
    }

    /** torchdiffeq: no forced step ends at all. */
    public static Stops stepPastEnd() {
        return new Stops(Overshoot.STEP_PAST_END, 1.0, null, false);
    }

    /** True when steps are never clipped (torchdiffeq). */
    public boolean pastEnd() {
        return overshoot == Overshoot.STEP_PAST_END;
    }

    public Stops withOvershoot(Overshoot o) {
        return new Stops(o, stopStretch, tstops, stopAtOutputs);
    }

    public Stops withStopStretch(double s) {
        return new Stops(overshoot, s, tstops, stopAtOutputs);
    }

    public Stops withTstops(double... stops) {
        return new Stops(overshoot, stopStretch, stops, stopAtOutputs);
    }

    public Stops withStopAtOutputs(boolean on) {
        return new Stops(overshoot, stopStretch, tstops, on);
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
        if (pastEnd()) {
            return new double[0];
        }
        List<Double> st = new ArrayList<>();
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

    /**
     * The step from t clipped to the first stop after t when it reaches within the stretch factor of it
     * (Hairer's rule); NaN when the step is not clipped. Callers end a clipped step exactly on the stop.
     *
     * @param stops the sorted stops of {@link #stopsFor}
     */
    public double clippedEnd(double[] stops, double t, double h) {
        for (double v : stops) {
            if (v > t) {
                return t + stopStretch * h >= v ? v : Double.NaN;
            }
        }
        return Double.NaN;
    }
}
