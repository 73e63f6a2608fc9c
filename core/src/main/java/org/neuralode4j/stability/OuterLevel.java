package org.neuralode4j.stability;

import java.util.ArrayList;
import java.util.List;

/**
 * The outer level of De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.5: OUTER(A, {D_k}, δ)
 * tunes ε = ‖Δ‖_F by a safeguarded Newton step on ψ = √(2φ) (ε_new = ε + κ_N φ/‖G‖) inside a bisection bracket
 * [εl, εu], where φ(ε) is the inner level's minimum at ε. Feasibility is decided on m (never on F), and the returned
 * Δ is always a feasible one: the bracket's upper end starts at the analytically feasible −(A + cI). With a rank r
 * option (§3.8) E₀ is truncated like every inner step, and when no rank-r feasible Δ is found the full-rank upper
 * end is not returned: the call fails with INFEASIBLE instead.
 */
public final class OuterLevel {
    private final StabilityOptions options;

    public OuterLevel(StabilityOptions options) {
        this.options = options;
    }

    /** OUTER(A, states, δ) with the default first direction E₀ = −G(0)/‖G(0)‖. */
    public OuterResult solve(double[] a, ConstraintStates states) {
        return solve(a, states, null);
    }

    /**
     * OUTER with a given unit first direction (null: −G(0)/‖G(0)‖). By convexity (§3.1) the result does not depend
     * on it; T-6 checks that.
     */
    public OuterResult solve(double[] a, ConstraintStates states, double[] firstDirection) {
        return solve(a, states, firstDirection, null);
    }

    /**
     * OUTER warm-started from the previous ORIGINAL round ({@link WarmStart}; null: the cold start of §3.5 step 3).
     */
    public OuterResult solveFrom(double[] a, ConstraintStates states, WarmStart warm) {
        return solve(a, states, warm == null ? null : warm.direction(), warm);
    }

    private OuterResult solve(double[] a, ConstraintStates states, double[] firstDirection, WarmStart warm) {
        long t0 = System.nanoTime();
        double delta = options.delta();
        ViolationFunctional fun = new ViolationFunctional(a, states, delta, options.functional(), options.threads(),
                options.certify());
        int n = fun.n();
        // 0. already feasible?
        Evaluation initial = fun.evaluate(new double[n * n]);
        if (initial.violation() <= options.tau()) {
            return new OuterResult(new double[n * n], 0, OuterStatus.ALREADY_FEASIBLE, initial, initial, List.of(), 0,
                    fun.evaluations(), fun.decompositions(), seconds(t0));
        }
        // 1. δ < 0 needs every activation derivative bounded away from 0
        ConstraintStates.Entry smallest = states.smallestScale();
        if (delta < 0 && smallest.value() <= options.dFloor()) {
            throw new StabilityException(StabilityException.Kind.INFEASIBLE, "delta = " + delta + " is infeasible:"
                    + " at constraint state k = " + smallest.k() + " unit i = " + smallest.i() + " the activation"
                    + " derivative is " + smallest.value() + " (saturated), so mu2 >= 0 there for every perturbation;"
                    + " use delta >= 0");
        }
        // 2. the feasible upper end −(A + cI)
        // δ ≥ 0 needs no shift; computing −δ/d_min there would give NaN (−0/0) when a unit is saturated (d = 0)
        double c = delta < 0 ? -delta / smallest.value() : 0;
        double[] upperDelta = SquareMatrices.plusScaled(SquareMatrices.scaled(-1.0, a), -1.0, SquareMatrices.identity(n, c));
        if (options.activeSet()) {
            return bracket(new ActiveSetFunctional(fun, new double[n * n], options.activeMargin()), initial, upperDelta,
                    firstDirection, warm, t0);
        }
        return bracket(fun, initial, upperDelta, firstDirection, warm, t0);
    }

    /**
     * OUTER for one matrix W of a field with frozen factors J_k = P_k(W + Δ)Q_k ({@code stability.md} §3.8): the same
     * Newton–bisection, with the feasible upper end Δ = −W (δ ≥ 0 only: δ &lt; 0 raises UNSUPPORTED, §3.9).
     *
     * @param w              the unperturbed W, row-major rows×cols
     * @param firstDirection a first direction rows×cols (null: −G(0)/‖G(0)‖)
     */
    public OuterResult solve(double[] w, FrozenFactorStates states, double[] firstDirection) {
        long t0 = System.nanoTime();
        requireNoActiveSet("frozen-factor");
        FrozenFactorFunctional fun = new FrozenFactorFunctional(w, states, options.delta(), options.functional());
        int size = fun.rows() * fun.cols();
        Evaluation initial = fun.evaluate(new double[size]);
        if (initial.violation() <= options.tau()) {
            return new OuterResult(new double[size], 0, OuterStatus.ALREADY_FEASIBLE, initial, initial, List.of(), 0,
                    fun.evaluations(), fun.decompositions(), seconds(t0));
        }
        return bracket(fun, initial, SquareMatrices.scaled(-1.0, fun.base()), firstDirection, null, t0);
    }

    /**
     * OUTER for the two-layer field with both matrices perturbed ({@code stability.md} §3.8): the same
     * Newton–bisection over the joint Frobenius norm, with the feasible upper end Δ₁ = 0, Δ₂ = −A₂. The problem is not
     * convex, so the result is a local one. δ &lt; 0 raises UNSUPPORTED (§3.9), and so does a rank option.
     *
     * @param a1             A₁, row-major h×n
     * @param a2             A₂, row-major n×h
     * @param firstDirection (Δ₁, Δ₂) flat (null: −G(0)/‖G(0)‖)
     * @return the perturbation as one flat vector: Δ₁ (h·n entries) then Δ₂
     */
    public OuterResult solve(double[] a1, double[] a2, TwoLayerStates states, double[] firstDirection) {
        long t0 = System.nanoTime();
        requireNoActiveSet("two-layer");
        if (options.rank() != 0) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "rank = " + options.rank() + " is not"
                    + " supported for the two-layer field; use full rank (rank 0)");
        }
        TwoLayerFunctional fun = new TwoLayerFunctional(a1, a2, states, options.delta(), options.functional());
        int size = fun.cols();
        Evaluation initial = fun.evaluate(new double[size]);
        if (initial.violation() <= options.tau()) {
            return new OuterResult(new double[size], 0, OuterStatus.ALREADY_FEASIBLE, initial, initial, List.of(), 0,
                    fun.evaluations(), fun.decompositions(), seconds(t0));
        }
        return bracket(fun, initial, fun.feasiblePerturbation(), firstDirection, null, t0);
    }

    /**
     * Steps 2–5 of OUTER for any functional whose perturbation {@code upperDelta} is known to be feasible: the
     * bracket [0, ‖upperDelta‖_F], the Newton first guess from {@code initial} (F, G, m at Δ = 0, infeasible) and the
     * Newton–bisection loop. Shared by the default field and the frozen-factor field of §3.8. A warm start (null:
     * none) replaces εl = 0 by its lower end and the Newton first guess by its ε, where they lie inside the bracket.
     */
    OuterResult bracket(PerturbationFunctional fun, Evaluation initial, double[] upperDelta, double[] firstDirection,
                        WarmStart warm, long t0) {
        double tau = options.tau();
        double epsUpper = SquareMatrices.norm(upperDelta);
        double epsLower = 0;
        double bestEps = epsUpper;
        double[] bestE = SquareMatrices.scaled(1.0 / epsUpper, upperDelta);
        // 3. first guess from the Newton step at ε = 0
        double g0 = initial.gradientNorm();
        LowRankTruncation truncation = new LowRankTruncation(options.rank(), fun.rows(), fun.cols());
        double[] e = truncation.unitApproximation(firstDirection != null ? firstDirection
                : SquareMatrices.scaled(-1.0, initial.gradient()));
        double eps = options.newtonFactor() * initial.value() / g0;
        if (!(eps < epsUpper)) {
            eps = epsUpper / 2;
        }
        if (warm != null && warm.lower() < epsUpper) {
            epsLower = Math.max(0, warm.lower());
            eps = epsLower < warm.eps() && warm.eps() < epsUpper ? warm.eps() : (epsLower + epsUpper) / 2;
        }
        double h = options.h0();
        InnerLevel inner = new InnerLevel(fun, options);
        List<OuterStep> steps = new ArrayList<>();
        int innerIterations = 0;
        OuterStatus status = OuterStatus.MAX_OUTER;
        boolean foundFeasible = false;
        for (int it = 1; it <= options.maxOuter(); it++) {
            InnerResult r = inner.solve(eps, e, null, h);
            e = r.direction();
            h = r.step();
            innerIterations += r.iterations();
            if (r.at().violation() <= tau && fun instanceof ActiveSetFunctional set
                    && !set.confirm(SquareMatrices.scaled(eps, e), tau)) {
                it--; // §3.7: a dropped state is violated; it joined the set, so repeat this ε (the set only grows)
                continue;
            }
            double epsNew;
            if (r.at().violation() <= tau) {
                epsUpper = eps;
                bestEps = eps;
                bestE = e.clone();
                foundFeasible = true;
                epsNew = (epsLower + epsUpper) / 2;
            } else {
                // NO_DECREASE, STAGNATION or MAX_ITER short of feasibility: ε counts as infeasible
                epsLower = eps;
                epsNew = eps + options.newtonFactor() * r.at().value() / r.at().gradientNorm();
            }
            steps.add(new OuterStep(eps, r.at().value(), r.at().violation(), r.at().gradientNorm(), r.exit(),
                    r.iterations(), epsLower, epsUpper));
            if (epsUpper - epsLower <= options.relTol() * epsUpper) {
                status = OuterStatus.CONVERGED;
                break;
            }
            if (!(epsLower < epsNew && epsNew < epsUpper)) {
                epsNew = (epsLower + epsUpper) / 2;
            }
            eps = epsNew;
        }
        if (!foundFeasible && !truncation.isFullRank()) {
            // the only feasible point known is the full-rank −(A + cI): returning it would break the rank promise
            throw new StabilityException(StabilityException.Kind.INFEASIBLE, "rank " + options.rank() + ": the"
                    + " low-rank inner flow found no feasible perturbation of rank <= " + options.rank() + " below the"
                    + " full-rank fallback of norm " + epsUpper + "; raise the rank or use full rank (rank 0)");
        }
        double[] perturbation = SquareMatrices.scaled(bestEps, bestE);
        // the recheck sees every state, also when the inner level saw an active set (§3.7)
        PerturbationFunctional every = fun instanceof ActiveSetFunctional set ? set.all() : fun;
        Evaluation recheck = every.evaluate(perturbation);
        if (recheck.violation() > tau) {
            // Cannot happen with a deterministic evaluation (best was feasible when found); kept as a guard so that
            // an infeasible Δ is never returned.
            perturbation = upperDelta;
            bestEps = SquareMatrices.norm(upperDelta);
            recheck = every.evaluate(perturbation);
        }
        return new OuterResult(perturbation, bestEps, status, initial, recheck, List.copyOf(steps), innerIterations,
                fun.evaluations(), fun.decompositions(), seconds(t0));
    }

    /** The §3.7 active set is built for the default field's functional only. */
    private void requireNoActiveSet(String field) {
        if (options.activeSet()) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "activeMargin = " + options.activeMargin()
                    + ": the active set is not supported for the " + field + " field; turn it off");
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
