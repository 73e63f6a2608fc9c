package org.neuralode4j.ode.dense;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Dense output of a whole solve: the accepted steps' interpolants, searched by time (solvers.md §2.4).
 * Solves backwards in time run in s = −t; this class takes and returns true times.
 */
public final class DenseTrajectory {
    private final List<Segment> segments;
    private final double sign;
    private final double t0;
    private final double t1;

    /**
     * @param segments accepted steps in order, in the forward variable s = sign·t
     * @param sign     +1 for forward solves, −1 for solves backwards in time
     * @param t0       first time of the solved span (true time)
     * @param t1       last time of the solved span (true time)
     */
    public DenseTrajectory(List<Segment> segments, double sign, double t0, double t1) {
        this.segments = Collections.unmodifiableList(new ArrayList<>(segments));
        this.sign = sign;
        this.t0 = t0;
        this.t1 = t1;
    }

    /** The state at time t, which must lie within the solved span [t0, t1]. */
    public List<Tensor> evaluate(double t) {
        Segment seg = find(t);
        return seg.at(theta(seg, sign * t));
    }

    /** dy/dt at time t within the solved span. */
    public List<Tensor> derivative(double t) {
        Segment seg = find(t);
        List<Tensor> d = seg.derivativeAt(theta(seg, sign * t));
        if (sign > 0) {
            return d;
        }
        List<Tensor> out = new ArrayList<>(d.size());
        for (Tensor x : d) {
            out.add(Ops.neg(x));
        }
        return out;
    }

    private static double theta(Segment seg, double s) {
        return Math.min(1.0, Math.max(0.0, (s - seg.start()) / seg.h()));
    }

    private Segment find(double t) {
        double lo = Math.min(t0, t1);
        double hi = Math.max(t0, t1);
        if (!(t >= lo && t <= hi)) {
            throw ConfigException.of("evaluate(t)", t, "outside the solved span [" + lo + ", " + hi + "]; dense output does not extrapolate");
        }
        if (segments.isEmpty()) {
            throw new ConfigException("evaluate(t): the solve took no steps");
        }
        double s = sign * t;
        // The first segment whose end reaches s: at a shared boundary the earlier step wins.
        int a = 0;
        int b = segments.size() - 1;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (segments.get(m).end() >= s) {
                b = m;
            } else {
                a = m + 1;
            }
        }
        return segments.get(a);
    }

    /** Number of stored steps. */
    public int steps() {
        return segments.size();
    }

    /** The stored steps (forward variable s). */
    public List<Segment> segments() {
        return segments;
    }

    /** Bytes held by all interpolants. */
    public long bytes() {
        long b = 0;
        for (Segment s : segments) {
            b += s.bytes();
        }
        return b;
    }
}
