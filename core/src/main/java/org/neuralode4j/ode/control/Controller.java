package org.neuralode4j.ode.control;

import org.neuralode4j.ode.ConfigException;

/**
 * Step-size controller settings (solvers.md §3.4–3.5). Stateless: the loop carries {@link ControllerState}
 * between steps, so a controller can be shared by solves and samples.
 *
 * @param type                {@code STANDARD} (I/PI family) or {@code TORCHDIFFEQ} (the rule of torchdiffeq 0.2.5)
 * @param gains               the I/PI preset giving β1, β2 from the error order k (ignored for TORCHDIFFEQ)
 * @param safety              σ
 * @param facMin              smallest factor after a rejection
 * @param facMax              largest factor
 * @param facMinAccepted      smallest factor after an acceptance (1: an accepted step never shrinks the next)
 * @param noGrowthAfterReject Hairer's rule: the step after a rejection may not exceed the accepted h
 * @param acceptStrict        accept only r &lt; 1 (Hipparchus, diffrax) instead of r ≤ 1
 * @param initialPrevRatio    r_prev before the first acceptance (1, or Hairer's 1e-4)
 */
public record Controller(Type type, Gains gains, double safety, double facMin, double facMax, double facMinAccepted,
                         boolean noGrowthAfterReject, boolean acceptStrict, double initialPrevRatio) {

    /** Which decision rule. */
    public enum Type { STANDARD, TORCHDIFFEQ }

    /** I and PI presets (§3.5 table), as functions of the error order k. */
    public enum Gains {
        I {
            @Override public double beta1(int k) { return 1.0 / k; }
            @Override public double beta2(int k) { return 0.0; }
        },
        /** Hairer's DOPRI5 code default: β2 = 0.04, β1 = 1/k − 0.75·β2. */
        PI_HAIRER {
            @Override public double beta1(int k) { return 1.0 / k - 0.75 * 0.04; }
            @Override public double beta2(int k) { return 0.04; }
        },
        /** Gustafsson's PI.3.4. */
        PI_GUSTAFSSON {
            @Override public double beta1(int k) { return 0.7 / k; }
            @Override public double beta2(int k) { return 0.4 / k; }
        },
        /** Söderlind's H211 in this β convention (factor = σ·r^−β1·r_prev^β2). */
        PI_SODERLIND_H211 {
            @Override public double beta1(int k) { return 1.0 / (6.0 * k); }
            @Override public double beta2(int k) { return -1.0 / (6.0 * k); }
        };

        public abstract double beta1(int k);

        public abstract double beta2(int k);
    }

    public Controller {
        if (type == null || gains == null) {
            throw ConfigException.of("controller", type + "/" + gains, "type and gains are required");
        }
        if (!(safety > 0 && safety <= 1)) {
            throw ConfigException.of("controller.safety", safety, "must be in (0, 1]");
        }
        if (!(facMin > 0 && facMin <= 1)) {
            throw ConfigException.of("controller.facMin", facMin, "must be in (0, 1]");
        }
        if (!(facMax >= 1)) {
            throw ConfigException.of("controller.facMax", facMax, "must be >= 1");
        }
        if (!(facMinAccepted > 0 && facMinAccepted <= facMax)) {
            throw ConfigException.of("controller.facMinAccepted", facMinAccepted, "must be in (0, facMax]");
        }
        if (!(initialPrevRatio > 0)) {
            throw ConfigException.of("controller.initialPrevRatio", initialPrevRatio, "must be positive");
        }
    }

    /** The I controller with the §3.5 defaults (σ 0.9, facMin 0.2, facMax 10, no shrink after acceptance). */
    public static Controller integral() {
        return new Controller(Type.STANDARD, Gains.I, 0.9, 0.2, 10.0, 1.0, true, false, 1.0);
    }

    /** A PI controller with the given preset and the §3.5 defaults. */
    public static Controller pi(Gains gains) {
        return new Controller(Type.STANDARD, gains, 0.9, 0.2, 10.0, 1.0, true, false, 1.0);
    }

    /** torchdiffeq 0.2.5's dopri5 rule (§3.4): σ 0.9, ×10 at most, ×0.2 at least after rejections only. */
    public static Controller torchdiffeq() {
        return new Controller(Type.TORCHDIFFEQ, Gains.I, 0.9, 0.2, 10.0, 1.0, false, false, 1.0);
    }

    public Controller withGains(Gains g) {
        return new Controller(type, g, safety, facMin, facMax, facMinAccepted, noGrowthAfterReject, acceptStrict, initialPrevRatio);
    }

    public Controller withFactors(double newSafety, double newFacMin, double newFacMax, double newFacMinAccepted) {
        return new Controller(type, gains, newSafety, newFacMin, newFacMax, newFacMinAccepted, noGrowthAfterReject, acceptStrict, initialPrevRatio);
    }

    public Controller withNoGrowthAfterReject(boolean on) {
        return new Controller(type, gains, safety, facMin, facMax, facMinAccepted, on, acceptStrict, initialPrevRatio);
    }

    public Controller withAcceptStrict(boolean on) {
        return new Controller(type, gains, safety, facMin, facMax, facMinAccepted, noGrowthAfterReject, on, initialPrevRatio);
    }

    public Controller withInitialPrevRatio(double r) {
        return new Controller(type, gains, safety, facMin, facMax, facMinAccepted, noGrowthAfterReject, acceptStrict, r);
    }

    /** Initial controller memory. */
    public ControllerState initialState() {
        return new ControllerState(initialPrevRatio, false);
    }

    /**
     * One decision: whether to accept an attempt of size h with error ratio r, the next step size and the new
     * memory. r must be finite and ≥ 0 (the loop reports NaN as a non-finite error before asking).
     *
     * @param k error order of the method (§3.5)
     */
    public Decision decide(double h, double r, int k, ControllerState state) {
        if (type == Type.TORCHDIFFEQ) {
            boolean accept = r <= 1.0;
            double factor;
            if (r == 0.0) {
                factor = facMax;
            } else {
                double lo = r < 1.0 ? 1.0 : facMin;
                factor = Math.min(facMax, Math.max(safety * StrictMath.pow(r, -1.0 / k), lo));
            }
            return new Decision(accept, h * factor, state);
        }
        boolean accept = acceptStrict ? r < 1.0 : r <= 1.0;
        double b1 = gains.beta1(k);
        if (accept) {
            double factor;
            if (r == 0.0) {
                factor = facMax;
            } else {
                factor = safety * StrictMath.pow(r, -b1) * StrictMath.pow(state.prevRatio(), gains.beta2(k));
                factor = Math.min(facMax, Math.max(facMinAccepted, factor));
            }
            double next = h * factor;
            if (noGrowthAfterReject && state.lastRejected()) {
                // Hairer: right after a rejection, trust the step that finally passed rather than grow again.
                next = Math.min(next, h);
            }
            return new Decision(true, next, new ControllerState(Math.max(r, 1e-4), false));
        }
        double factor = Math.max(facMin, safety * StrictMath.pow(r, -b1));
        return new Decision(false, h * factor, new ControllerState(state.prevRatio(), true));
    }

    /** Accept or reject, and the next step size. */
    public record Decision(boolean accept, double nextH, ControllerState state) {}
}
