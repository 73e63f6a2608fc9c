package org.neuralode4j.stability;

/**
 * Every option of the stabiliser with the defaults of {@code stability.md} §3.10 (De Marinis, Guglielmi, Sicilia,
 * Tudisco 2025), validated on construction.
 *
 * @param delta             target log norm δ (may be negative)
 * @param tau               feasibility tolerance τ on λ − δ (§2.4)
 * @param functional        ALL or TOP (§3.3)
 * @param constraintSamples N_c training inputs per collection (§2.3)
 * @param gridIntervals     M: states at t_j = jT/M, j = 0..M (§2.3)
 * @param rounds            R (§3.6)
 * @param rebase            ORIGINAL or CURRENT (§3.6)
 * @param maxOuter          outer iterations (§3.5)
 * @param relTol            bracket tolerance: stop when εu − εl ≤ relTol·εu
 * @param newtonFactor      κ_N of the Newton step ε + κ_N φ/‖G‖
 * @param maxInner          inner iterations per call (§3.4)
 * @param h0                first inner step
 * @param theta             step growth/shrink factor θ &gt; 1
 * @param safeStop          step reductions per inner iteration
 * @param statTol           stationarity: stop when ‖Ė‖ ≤ statTol·‖G‖
 * @param stagTol           stagnation: stop when F − F1 ≤ stagTol·F (0 disables)
 * @param dFloor            δ &lt; 0 guard on min (D_k)_ii
 * @param seed              constraint-sample seed
 * @param threads           threads for the blocks of states (§3.7)
 * @param certify           skip eigendecompositions of states certified below δ by a Cholesky factorisation
 * @param rank              r of the low-rank inner flow (§3.8, {@link LowRankTruncation}); 0 means full rank
 * @param activeMargin      the active set of §3.7 ({@link ActiveSetFunctional}): inner iterations see only the states with
 *                          λ_max &gt; δ − activeMargin; NaN (the default) turns it off
 */
public record StabilityOptions(double delta, double tau, Functional functional, int constraintSamples,
                               int gridIntervals, int rounds, Rebase rebase, int maxOuter, double relTol,
                               double newtonFactor, int maxInner, double h0, double theta, int safeStop,
                               double statTol, double stagTol, double dFloor, long seed, int threads,
                               boolean certify, int rank, double activeMargin) {
    public StabilityOptions {
        require(Double.isFinite(delta), "delta", delta, "must be finite");
        require(tau >= 0 && Double.isFinite(tau), "tau", tau, "must be >= 0");
        require(functional != null && rebase != null, "functional/rebase", null, "are required");
        require(constraintSamples >= 1, "samples", constraintSamples, "must be >= 1");
        require(gridIntervals >= 1, "gridIntervals", gridIntervals, "must be >= 1");
        require(rounds >= 1, "rounds", rounds, "must be >= 1");
        require(maxOuter >= 1, "maxOuter", maxOuter, "must be >= 1");
        require(relTol > 0 && relTol < 1, "relTol", relTol, "must be in (0, 1)");
        require(newtonFactor > 0 && Double.isFinite(newtonFactor), "newtonFactor", newtonFactor, "must be > 0");
        require(maxInner >= 1, "maxInner", maxInner, "must be >= 1");
        require(h0 > 0 && Double.isFinite(h0), "h0", h0, "must be > 0");
        require(theta > 1 && Double.isFinite(theta), "theta", theta, "must be > 1");
        require(safeStop >= 1, "safeStop", safeStop, "must be >= 1");
        require(statTol >= 0, "statTol", statTol, "must be >= 0");
        require(stagTol >= 0, "stagTol", stagTol, "must be >= 0");
        require(dFloor >= 0, "dFloor", dFloor, "must be >= 0");
        require(threads >= 1, "threads", threads, "must be >= 1");
        require(rank >= 0, "rank", rank, "must be >= 1 (or 0 for full rank)");
        require(Double.isNaN(activeMargin) || (activeMargin >= 0 && Double.isFinite(activeMargin)), "activeMargin",
                activeMargin, "must be >= 0 (or off)");
    }

    private static void require(boolean ok, String field, Object value, String accepted) {
        if (!ok) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED,
                    "stabilize: " + field + " = " + value + ": " + accepted);
        }
    }

    /**
     * §3.10 with target δ: τ 1e-3, ALL, N_c 128, M 10, 3 rounds ORIGINAL, outer 40/1e-3/κ_N 2, inner 50/0.1/1.3/15,
     * one thread, Cholesky certification on (it changes no result, only the cost; see {@link ViolationFunctional}).
     */
    public static StabilityOptions defaults(double delta) {
        return new StabilityOptions(delta, 1e-3, Functional.ALL, 128, 10, 3, Rebase.ORIGINAL, 40, 1e-3, 2.0, 50, 0.1,
                1.3, 15, 1e-6, 1e-6, 1e-12, 0L, 1, true, 0, Double.NaN);
    }

    /** δ = ln(C)/T for a target Lipschitz constant C of the flow over [0, T] (§1.3). */
    public static double deltaForLipschitz(double c, double horizon) {
        require(c > 0 && Double.isFinite(c), "C", c, "must be > 0");
        return Math.log(c) / horizon;
    }

    public StabilityOptions withDelta(double d) {
        return new StabilityOptions(d, tau, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                relTol, newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank, activeMargin);
    }

    public StabilityOptions withFunctional(Functional f) {
        return new StabilityOptions(delta, tau, f, constraintSamples, gridIntervals, rounds, rebase, maxOuter, relTol,
                newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank, activeMargin);
    }

    /** τ, relTol and maxInner (the tight settings of the tests T-5, T-6, T-8). */
    public StabilityOptions withTolerances(double t, double rel, int inner) {
        return new StabilityOptions(delta, t, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                rel, newtonFactor, inner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank, activeMargin);
    }

    /** maxInner, statTol and stagTol (0 turns the stagnation stop off). */
    public StabilityOptions withInner(int inner, double stat, double stag) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                relTol, newtonFactor, inner, h0, theta, safeStop, stat, stag, dFloor, seed, threads, certify, rank, activeMargin);
    }

    public StabilityOptions withRounds(int r, Rebase rb) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, r, rb, maxOuter, relTol,
                newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank, activeMargin);
    }

    public StabilityOptions withSampling(int samples, int grid, long s) {
        return new StabilityOptions(delta, tau, functional, samples, grid, rounds, rebase, maxOuter, relTol,
                newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, s, threads, certify, rank, activeMargin);
    }

    public StabilityOptions withExecution(int t, boolean cert) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                relTol, newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, t, cert, rank, activeMargin);
    }

    public StabilityOptions withMaxOuter(int outer) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, rounds, rebase, outer,
                relTol, newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank, activeMargin);
    }

    /** Low rank r of §3.8 (0: full rank, the default). */
    public StabilityOptions withRank(int r) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                relTol, newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, r, activeMargin);
    }

    /** The §3.7 active set with this margin (≥ 0), or NaN for off (the default). */
    public StabilityOptions withActiveMargin(double margin) {
        return new StabilityOptions(delta, tau, functional, constraintSamples, gridIntervals, rounds, rebase, maxOuter,
                relTol, newtonFactor, maxInner, h0, theta, safeStop, statTol, stagTol, dFloor, seed, threads, certify, rank,
                margin);
    }

    /** Whether the §3.7 active set is on. */
    public boolean activeSet() {
        return !Double.isNaN(activeMargin);
    }
}
