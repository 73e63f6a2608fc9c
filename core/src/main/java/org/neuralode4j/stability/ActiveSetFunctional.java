package org.neuralode4j.stability;

/**
 * The active set of De Marinis, Guglielmi, Sicilia, Tudisco (2025) as {@code stability.md} §3.7 makes it an option
 * (§3.10 {@code activeMargin}, default off): the inner iterations evaluate F and G on the states with
 * λ_max(S_k) &gt; δ − activeMargin at the start of the outer call only. A state below δ adds nothing to F or G, so while
 * the dropped states stay below δ the inner level sees the same functional at a fraction of the state evaluations.
 *
 * <p>The outer level confirms every inner result that is feasible on the active set against all K states
 * ({@link #confirm}). If a dropped state is violated there, the states reaching δ − activeMargin at that perturbation
 * join the set, and the outer iteration is repeated with it. The set only grows, so the repeats end; and feasibility
 * is always decided on all K states, so the result stays feasible.
 */
final class ActiveSetFunctional implements PerturbationFunctional {
    private final ViolationFunctional all;
    private final double level;
    private final boolean[] active;
    private ViolationFunctional current;
    private int[] indices;
    private long retiredEvaluations;
    private long retiredDecompositions;
    private int enlargements;

    /**
     * @param all    the functional over all K states
     * @param start  the perturbation at the start of the outer call (the set is the states reaching the level there)
     * @param margin activeMargin ≥ 0
     */
    ActiveSetFunctional(ViolationFunctional all, double[] start, double margin) {
        this.all = all;
        this.level = all.delta() - margin;
        this.active = new boolean[all.states().size()];
        for (int k : all.statesReaching(start, level)) {
            active[k] = true;
        }
        rebuild();
    }

    @Override
    public Evaluation evaluate(double[] perturbation) {
        Evaluation e = current.evaluate(perturbation);
        int worst = e.worstState() < 0 ? -1 : indices[e.worstState()];
        return new Evaluation(e.value(), e.gradient(), e.violation(), worst);
    }

    /**
     * Whether {@code perturbation} is feasible (m ≤ τ) on all K states. If not, the states reaching δ − activeMargin
     * there join the active set (at least the violated ones, which were not active: the active ones were feasible)
     * and this returns false, so that the caller repeats its outer iteration.
     */
    boolean confirm(double[] perturbation, double tau) {
        if (all.evaluate(perturbation).violation() <= tau) {
            return true;
        }
        boolean grew = false;
        for (int k : all.statesReaching(perturbation, level)) {
            grew |= !active[k];
            active[k] = true;
        }
        if (!grew) {
            throw new IllegalStateException("active set: a violated state was already active, yet the active set was"
                    + " feasible");
        }
        enlargements++;
        rebuild();
        return false;
    }

    private void rebuild() {
        int count = 0;
        for (boolean a : active) {
            count += a ? 1 : 0;
        }
        int[] idx = new int[count];
        for (int k = 0, i = 0; k < active.length; k++) {
            if (active[k]) {
                idx[i++] = k;
            }
        }
        if (current != null) {
            retiredEvaluations += current.evaluations();
            retiredDecompositions += current.decompositions();
        }
        indices = idx;
        current = new ViolationFunctional(all.base(), all.states().subset(idx), all.delta(), all.form(), all.threads(),
                all.certifies());
    }

    /** The functional over all K states. */
    ViolationFunctional all() {
        return all;
    }

    /** States in the active set now. */
    int size() {
        return indices.length;
    }

    /** How often a confirmation found a dropped state violated and enlarged the set. */
    int enlargements() {
        return enlargements;
    }

    @Override
    public int rows() {
        return all.rows();
    }

    @Override
    public int cols() {
        return all.cols();
    }

    /** F evaluations on the active sets plus the confirmations on all states. */
    @Override
    public long evaluations() {
        return retiredEvaluations + current.evaluations() + all.evaluations();
    }

    @Override
    public long decompositions() {
        return retiredDecompositions + current.decompositions() + all.decompositions();
    }
}
