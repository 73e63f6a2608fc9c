package org.neuralode4j.ode.tableau;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order conditions of solvers.md §1.3 for one stage matrix A, in 40-digit arithmetic: g(•) = 1,
 * g(τ) = ∏_k (A·g(τ_k)) elementwise, and a weight vector w satisfies the condition of τ when
 * wᵀg(τ) = 1/γ(τ); a continuous extension w(θ) when w(θ)ᵀg(τ) = θ^|τ|/γ(τ) (§2.1). Residuals are returned as
 * doubles (their size is all that is compared).
 */
final class OrderConditions {
    static final MathContext MC = new MathContext(40);
    /** Trees of orders 1..9: enough to see the order-8 DOP853 fail at order 9. */
    static final List<List<RootedTree>> TREES = RootedTree.upTo(9);

    private final BigDecimal[][] a;
    private final Map<String, BigDecimal[]> g = new HashMap<>();
    private final Map<String, BigDecimal[]> ag = new HashMap<>();

    /** A as jagged rows (row i has i entries), exact values. */
    OrderConditions(BigDecimal[][] a) {
        this.a = a;
    }

    /** Production doubles, converted exactly. */
    static BigDecimal[] exact(double[] v) {
        BigDecimal[] out = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = new BigDecimal(v[i]);
        }
        return out;
    }

    static BigDecimal[][] exact(double[][] m) {
        BigDecimal[][] out = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = exact(m[i]);
        }
        return out;
    }

    /** Elementwise v − u. */
    static BigDecimal[] minus(BigDecimal[] v, BigDecimal[] u) {
        BigDecimal[] out = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].subtract(u[i], MC);
        }
        return out;
    }

    private BigDecimal[] g(RootedTree t) {
        BigDecimal[] cached = g.get(t.key);
        if (cached != null) {
            return cached;
        }
        BigDecimal[] v = new BigDecimal[a.length];
        Arrays.fill(v, BigDecimal.ONE);
        for (RootedTree child : t.children) {
            BigDecimal[] factor = ag(child);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i].multiply(factor[i], MC);
            }
        }
        g.put(t.key, v);
        return v;
    }

    private BigDecimal[] ag(RootedTree t) {
        BigDecimal[] cached = ag.get(t.key);
        if (cached != null) {
            return cached;
        }
        BigDecimal[] gt = g(t);
        BigDecimal[] v = new BigDecimal[a.length];
        for (int i = 0; i < a.length; i++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int j = 0; j < a[i].length; j++) {
                s = s.add(a[i][j].multiply(gt[j], MC), MC);
            }
            v[i] = s;
        }
        ag.put(t.key, v);
        return v;
    }

    /** wᵀg(τ) − θ^|τ|/γ(τ); θ = 1 gives the ordinary condition. */
    BigDecimal residual(BigDecimal[] w, BigDecimal theta, RootedTree t) {
        BigDecimal[] gt = g(t);
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < w.length; i++) {
            s = s.add(w[i].multiply(gt[i], MC), MC);
        }
        return s.subtract(theta.pow(t.order, MC).divide(BigDecimal.valueOf(t.gamma), MC), MC);
    }

    /** Largest |residual| over the trees of exactly this order. */
    double maxResidual(BigDecimal[] w, BigDecimal theta, int order) {
        double max = 0;
        for (RootedTree t : TREES.get(order - 1)) {
            max = Math.max(max, residual(w, theta, t).abs().doubleValue());
        }
        return max;
    }

    /** Largest |residual| over the trees of orders 1..p. */
    double maxResidualUpTo(BigDecimal[] w, BigDecimal theta, int p) {
        double max = 0;
        for (int k = 1; k <= p; k++) {
            max = Math.max(max, maxResidual(w, theta, k));
        }
        return max;
    }
}
