package org.neuralode4j.stability;

/**
 * The inner level of De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.4: at fixed ε,
 * minimise F(εE) on the unit Frobenius sphere by the projected gradient flow Ė = −G + ⟨G, E⟩E, discretised by
 * normalised Euler steps with the step-size control INNER(ε, E, h) written there — line for line, so that its
 * properties (norm preserved, F strictly decreasing on accepted steps, exits) are the spec's. With a rank r option
 * (§3.8) each Euler step E + hĖ is truncated to rank r before it is normalised ({@link LowRankTruncation}).
 */
public final class InnerLevel {
    /** Sees every accepted step (tests of T-7). */
    public interface Observer {
        /**
         * @param direction the new E
         * @param before    F before the step
         * @param after     F after it
         * @param rate      ε‖Ė‖² at the step's start (≥ 0)
         */
        void accepted(double[] direction, double before, double after, double rate);
    }

    private final PerturbationFunctional functional;
    private final StabilityOptions options;
    private final Observer observer;
    private final LowRankTruncation truncation;

    public InnerLevel(PerturbationFunctional functional, StabilityOptions options, Observer observer) {
        this.functional = functional;
        this.options = options;
        this.observer = observer;
        this.truncation = new LowRankTruncation(options.rank(), functional.rows(), functional.cols());
    }

    public InnerLevel(PerturbationFunctional functional, StabilityOptions options) {
        this(functional, options, null);
    }

    /** F, G and m at εE. */
    private Evaluation at(double eps, double[] e) {
        return functional.evaluate(SquareMatrices.scaled(eps, e));
    }

    /**
     * INNER(ε, E, h) starting from a unit E with its evaluation {@code start} at εE (null: evaluated here).
     */
    public InnerResult solve(double eps, double[] direction, Evaluation start, double step) {
        double tau = options.tau();
        double theta = options.theta();
        double[] e = direction.clone();
        int evals = 0;
        Evaluation cur = start;
        if (cur == null) {
            cur = at(eps, e);
            evals++;
        }
        double h = step;
        int it = 0;
        while (true) {
            if (cur.violation() <= tau) {
                return new InnerResult(e, cur, h, InnerExit.FEASIBLE, it, evals);
            }
            if (it == options.maxInner()) {
                return new InnerResult(e, cur, h, InnerExit.MAX_ITER, it, evals);
            }
            double[] g = cur.gradient();
            double gamma = SquareMatrices.dot(g, e);
            double[] eDot = SquareMatrices.plusScaled(SquareMatrices.scaled(-1.0, g), gamma, e);
            double eDotNorm = SquareMatrices.norm(eDot);
            double rate = eps * eDotNorm * eDotNorm;
            if (eDotNorm <= options.statTol() * SquareMatrices.norm(g)) {
                return new InnerResult(e, cur, h, InnerExit.STATIONARY, it, evals);
            }
            boolean reduced = false;
            double[] e1 = null;
            Evaluation next = null;
            for (int tries = 0; tries < options.safeStop(); tries++) {
                double[] candidate = truncation.unitApproximation(SquareMatrices.plusScaled(e, h, eDot));
                Evaluation c = at(eps, candidate);
                evals++;
                if (c.value() < cur.value()) {
                    e1 = candidate;
                    next = c;
                    break;
                }
                h /= theta;
                reduced = true;
            }
            if (next == null) {
                return new InnerResult(e, cur, h, InnerExit.NO_DECREASE, it, evals);
            }
            double hNext = h;
            if (next.value() > cur.value() - (h / theta) * rate) {
                hNext = h / theta; // weak decrease: shorter next step
            } else if (!reduced) {
                // strong decrease at the first try: probe a longer step
                double[] e2 = truncation.unitApproximation(SquareMatrices.plusScaled(e, theta * h, eDot));
                Evaluation c2 = at(eps, e2);
                evals++;
                if (c2.value() < next.value()) {
                    e1 = e2;
                    next = c2;
                    hNext = theta * h;
                }
            }
            boolean stagnating = cur.value() - next.value() <= options.stagTol() * cur.value();
            if (observer != null) {
                observer.accepted(e1.clone(), cur.value(), next.value(), rate);
            }
            e = e1;
            cur = next;
            h = hNext;
            it++;
            if (stagnating) {
                return new InnerResult(e, cur, h, InnerExit.STAGNATION, it, evals);
            }
        }
    }
}
