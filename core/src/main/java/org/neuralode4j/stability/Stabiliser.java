package org.neuralode4j.stability;

import java.util.ArrayList;
import java.util.List;

/**
 * STABILISE of De Marinis, Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.6: rounds that collect
 * constraint states with the current model, then perturb A0 (rebase ORIGINAL, the set only grows) or the current A
 * (rebase CURRENT, the latest states only) by OUTER (§3.5). The states collected with the new A after a round are
 * its "fresh" check (§4.3) and the next round's states, so each A is run through the model once. With ORIGINAL, each
 * round after the first starts OUTER from the previous round's bracket and solution ({@link WarmStart}).
 */
public final class Stabiliser {
    private final StabilityOptions options;

    public Stabiliser(StabilityOptions options) {
        this.options = options;
    }

    /**
     * Runs up to R rounds from {@code block}. With {@code float32} the final A is rounded to float32 and m is
     * re-evaluated with the rounded matrix (§3.7 "Precision").
     */
    public StabilisationResult run(DenseBlock block, StateCollector collector, boolean float32) {
        double[] a0 = block.a();
        double[] a = a0.clone();
        double delta = options.delta();
        double tau = options.tau();
        ConstraintStates set = null;
        ConstraintStates fresh = ConstraintStates.collect(block, collector.collect(block), 1);
        List<RoundRecord> rounds = new ArrayList<>();
        boolean satisfied = false;
        OuterResult previous = null;
        for (int r = 1; r <= options.rounds(); r++) {
            TopEigenvalues now = TopEigenvalues.of(a, fresh);
            if (now.max() - delta <= tau) {
                rounds.add(new RoundRecord(r, 0, null, 0, 0, 0, 0, 0, 0, now.max() - delta, now.mean(),
                        now.max() - delta, now.mean(), now.max() - delta));
                satisfied = true;
                break;
            }
            set = options.rebase() == Rebase.ORIGINAL && set != null ? set.union(fresh) : fresh;
            double[] base = options.rebase() == Rebase.ORIGINAL ? a0 : a;
            ConstraintStates solved = set;
            TopEigenvalues before = TopEigenvalues.of(base, solved);
            WarmStart warm = options.rebase() == Rebase.ORIGINAL ? WarmStart.after(previous) : null;
            OuterResult outer = withRound(r, () -> new OuterLevel(options).solveFrom(base, solved, warm));
            previous = outer;
            a = SquareMatrices.plusScaled(base, 1.0, outer.perturbation());
            TopEigenvalues after = TopEigenvalues.of(a, set);
            DenseBlock moved = block.withA(a);
            fresh = ConstraintStates.collect(moved, collector.collect(moved), r + 1);
            double freshAfter = TopEigenvalues.of(a, fresh).max() - delta;
            rounds.add(new RoundRecord(r, set.size(), outer.status(), outer.eps(), outer.outerIterations(),
                    outer.innerIterations(), outer.evaluations(), outer.decompositions(), outer.seconds(),
                    before.max() - delta, before.mean(), after.max() - delta, after.mean(), freshAfter));
            satisfied = freshAfter <= tau;
            if (satisfied) {
                break;
            }
        }
        double f32 = Double.NaN;
        if (float32) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) a[i];
            }
            ConstraintStates last = set != null ? set : fresh;
            f32 = TopEigenvalues.of(a, last).max() - delta;
        }
        return new StabilisationResult(a0, a, List.copyOf(rounds), satisfied, f32);
    }

    /** Prefixes errors from inside a round with the round number (§3.9: "naming k (and the round)"). */
    private static OuterResult withRound(int round, java.util.function.Supplier<OuterResult> body) {
        try {
            return body.get();
        } catch (StabilityException e) {
            throw new StabilityException(e.kind(), "round " + round + ": " + e.getMessage());
        }
    }
}
