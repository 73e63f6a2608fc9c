package org.neuralode4j.ode.control;

import java.util.Arrays;
import org.neuralode4j.ode.ConfigException;

/**
 * What an attempted step's error is measured against (solvers.md §3.1–3.2): tolerances, the seminorm mask and
 * how a batch's errors are reduced to one ratio under batch-wide control. Immutable.
 *
 * @param rtol          relative tolerance for every component without its own
 * @param atol          absolute tolerance for every component without its own
 * @param componentRtol per-component relative tolerances, or null
 * @param componentAtol per-component absolute tolerances, or null
 * @param counted       per component: true when it counts in the error norm (§3.2 seminorm); null = all
 * @param batchNorm     error scope under batch-wide control (§3.1)
 */
public record Tolerances(double rtol, double atol, double[] componentRtol, double[] componentAtol, boolean[] counted,
                         BatchNorm batchNorm) {

    /** How the error of a batch is reduced to one ratio under batch-wide control. */
    public enum BatchNorm {
        /** RMS over all elements of the batch (torchdiffeq). */
        RMS_ALL,
        /** Max over samples of each sample's ratio: every sample meets its tolerance. */
        MAX_OVER_SAMPLES
    }

    public Tolerances {
        check("rtol", rtol);
        check("atol", atol);
        componentRtol = checkAll("componentRtol", componentRtol);
        componentAtol = checkAll("componentAtol", componentAtol);
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
        if (batchNorm == null) {
            throw new ConfigException("step control: batchNorm is required");
        }
    }

    /** Scalar tolerances for every component, all counted, RMS over the batch. */
    public static Tolerances of(double rtol, double atol) {
        return new Tolerances(rtol, atol, null, null, null, BatchNorm.RMS_ALL);
    }

    private static void check(String name, double v) {
        if (!(v >= 0)) {
            throw ConfigException.of(name, v, "tolerances must be >= 0 (and not NaN)");
        }
    }

    private static double[] checkAll(String name, double[] v) {
        if (v == null) {
            return null;
        }
        for (double x : v) {
            check(name, x);
        }
        return v.clone();
    }

    public Tolerances withScalar(double newRtol, double newAtol) {
        return new Tolerances(newRtol, newAtol, componentRtol, componentAtol, counted, batchNorm);
    }

    public Tolerances withComponents(double[] rtols, double[] atols) {
        return new Tolerances(rtol, atol, rtols, atols, counted, batchNorm);
    }

    public Tolerances withCounted(boolean[] c) {
        return new Tolerances(rtol, atol, componentRtol, componentAtol, c, batchNorm);
    }

    public Tolerances withBatchNorm(BatchNorm b) {
        return new Tolerances(rtol, atol, componentRtol, componentAtol, counted, b);
    }

    /** Relative tolerance of component i. */
    public double rtolOf(int i) {
        return componentRtol != null && i < componentRtol.length ? componentRtol[i] : rtol;
    }

    /** Absolute tolerance of component i. */
    public double atolOf(int i) {
        return componentAtol != null && i < componentAtol.length ? componentAtol[i] : atol;
    }

    /** Whether component i counts in the error norm. */
    public boolean counts(int i) {
        return counted == null || (i < counted.length && counted[i]);
    }
}
