package org.neuralode4j.stability;

import java.util.ArrayList;
import java.util.List;

/**
 * The frozen diagonals D_k = D(x_k), k = 1..K, of the constraint states, De Marinis, Guglielmi, Sicilia, Tudisco
 * (2025), {@code stability.md} §2.3 step 4: computed in float64 from the A and b current at collection time, then
 * never recomputed while A is perturbed (§3.1).
 */
public final class ConstraintStates {
    private final int n;
    private final double[][] scales;

    private ConstraintStates(int n, double[][] scales) {
        this.n = n;
        this.scales = scales;
    }

    /** States given directly by their diagonals (tests and closed forms); each row has n entries. */
    public static ConstraintStates ofScales(int n, double[][] scales) {
        double[][] copy = new double[scales.length][];
        for (int k = 0; k < scales.length; k++) {
            if (scales[k].length != n) {
                throw new StabilityException(StabilityException.Kind.UNSUPPORTED,
                        "constraint state k = " + k + " has " + scales[k].length + " entries, expected " + n);
            }
            if (!SquareMatrices.allFinite(scales[k])) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE,
                        "constraint state k = " + k + " has a NaN or Inf activation derivative");
            }
            copy[k] = scales[k].clone();
        }
        return new ConstraintStates(n, copy);
    }

    /**
     * D(x_k) for states x_k of {@code block} (§2.3 step 4). A NaN or Inf state raises NON_FINITE naming k and the
     * round.
     */
    public static ConstraintStates collect(DenseBlock block, double[][] states, int round) {
        double[][] d = new double[states.length][];
        for (int k = 0; k < states.length; k++) {
            if (states[k].length != block.n()) {
                throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "round " + round + ": state k = " + k
                        + " has " + states[k].length + " entries, the block has n = " + block.n());
            }
            if (!SquareMatrices.allFinite(states[k])) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE, "round " + round + ": constraint state k = "
                        + k + " is NaN or Inf; the model's trajectories diverge, retrain it or lower the learning rate");
            }
            d[k] = block.jacobianScale(states[k]);
        }
        return new ConstraintStates(block.n(), d);
    }

    /** This set followed by {@code more} (rebase = ORIGINAL grows the set, §3.6). */
    public ConstraintStates union(ConstraintStates more) {
        if (more.n != n) {
            throw new IllegalArgumentException("state dimensions differ: " + n + " and " + more.n);
        }
        List<double[]> all = new ArrayList<>(List.of(scales));
        all.addAll(List.of(more.scales));
        return new ConstraintStates(n, all.toArray(new double[0][]));
    }

    /** The states at {@code indices} (ascending), sharing their diagonals: the active set of §3.7. */
    ConstraintStates subset(int[] indices) {
        double[][] d = new double[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            d[i] = scales[indices[i]];
        }
        return new ConstraintStates(n, d);
    }

    public int size() {
        return scales.length;
    }

    public int n() {
        return n;
    }

    /** The diagonal of D_k (shared, not copied: callers in this package only read it). */
    double[] scale(int k) {
        return scales[k];
    }

    /** A copy of the diagonal of D_k. */
    public double[] scaleOf(int k) {
        return scales[k].clone();
    }

    /** (k, i) of the smallest (D_k)_ii and its value: the δ &lt; 0 feasibility guard of §3.1 and §3.5 step 1. */
    public Entry smallestScale() {
        Entry best = null;
        for (int k = 0; k < scales.length; k++) {
            for (int i = 0; i < n; i++) {
                if (best == null || scales[k][i] < best.value()) {
                    best = new Entry(k, i, scales[k][i]);
                }
            }
        }
        return best;
    }

    /** One entry (D_k)_ii. */
    public record Entry(int k, int i, double value) {}
}
