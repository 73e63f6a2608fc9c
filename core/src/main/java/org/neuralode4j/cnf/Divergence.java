package org.neuralode4j.cnf;

import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * How a CNF computes the divergence tr(∂f/∂z) that drives its log-density channel: FFJORD, Grathwohl, Chen,
 * Bettencourt, Sutskever &amp; Duvenaud (2019), "FFJORD: Free-form Continuous Dynamics for Scalable Reversible
 * Generative Models" (cnf.md §2).
 *
 * <ul>
 *   <li>EXACT: Σ_i (row_i)_i with row_i = vjp(f, z, e_i), D reverse sweeps per evaluation (§2.1). The rows are
 *       kept so that an exact Jacobian channel reads ‖J‖²_F from them for free.</li>
 *   <li>HUTCHINSON: εᵀJε from the single sweep v = vjp(f, z, ε) = εᵀJ, with ε drawn once per solve (§2.2). The
 *       same v serves RNODE's Jacobian channel ‖v‖².</li>
 *   <li>AUTO (the default): EXACT for D ≤ {@value #AUTO_EXACT_MAX_DIM}, HUTCHINSON above.</li>
 * </ul>
 *
 * @param kind  EXACT, HUTCHINSON or AUTO
 * @param noise the probe distribution of the Hutchinson estimator (also used when AUTO resolves to it)
 */
public record Divergence(Kind kind, ProbeNoise noise) {
    /** Largest state size for which AUTO picks the exact trace (cnf.md §2.1). */
    public static final int AUTO_EXACT_MAX_DIM = 8;

    /** The estimator. */
    public enum Kind { EXACT, HUTCHINSON, AUTO }

    public Divergence {
        if (kind == null || noise == null) {
            throw new ConfigException("divergence: kind and noise are required");
        }
    }

    /** The exact trace (D vector–Jacobian products per evaluation). */
    public static Divergence exact() {
        return new Divergence(Kind.EXACT, ProbeNoise.GAUSSIAN);
    }

    /** Hutchinson's estimator with the given probe distribution. */
    public static Divergence hutchinson(ProbeNoise noise) {
        return new Divergence(Kind.HUTCHINSON, noise);
    }

    /** Gaussian Hutchinson (the library's, RNODE's and W2's default probe). */
    public static Divergence hutchinson() {
        return hutchinson(ProbeNoise.GAUSSIAN);
    }

    /** EXACT for small D, Gaussian Hutchinson otherwise. */
    public static Divergence auto() {
        return new Divergence(Kind.AUTO, ProbeNoise.GAUSSIAN);
    }

    /** This estimator for a state of {@code dim} entries per sample: AUTO becomes EXACT or HUTCHINSON. */
    public Divergence resolve(int dim) {
        if (kind != Kind.AUTO) {
            return this;
        }
        return new Divergence(dim <= AUTO_EXACT_MAX_DIM ? Kind.EXACT : Kind.HUTCHINSON, noise);
    }

    /** True when this (resolved) estimator is exact; AUTO must be resolved first. */
    public boolean isExact() {
        if (kind == Kind.AUTO) {
            throw new IllegalStateException("divergence: resolve AUTO for a state size first");
        }
        return kind == Kind.EXACT;
    }

    /** Short name for reports: exact, hutchinson-gaussian, hutchinson-rademacher, auto. */
    public String label() {
        return switch (kind) {
            case EXACT -> "exact";
            case AUTO -> "auto";
            case HUTCHINSON -> "hutchinson-" + noise.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    // ---------------------------------------------------------------- the computations (one evaluation)

    /**
     * Row i of every sample's Jacobian, i = 0..D−1: one vjp each with cotangent e_i in every row.
     *
     * @param f           the field's value [B, D], recorded from z
     * @param z           the state [B, D] (requires grad)
     * @param createGraph record the sweeps so that the rows can be differentiated again (training)
     */
    static Tensor[] rows(Tensor f, Tensor z, boolean createGraph) {
        int b = z.dim(0);
        int d = z.dim(1);
        Tensor[] rows = new Tensor[d];
        for (int i = 0; i < d; i++) {
            double[] e = new double[b * d];
            for (int r = 0; r < b; r++) {
                e[r * d + i] = 1.0;
            }
            rows[i] = vjp(f, z, Tensor.of(z.dtype(), e, b, d), createGraph);
        }
        return rows;
    }

    /** v = uᵀ ∂f/∂z per sample, [B, D]. */
    static Tensor vjp(Tensor f, Tensor z, Tensor u, boolean createGraph) {
        return Autograd.grad(List.of(f), List.of(z), List.of(u), createGraph, true).get(0);
    }

    /** tr J per sample from the rows: Σ_i rows[i][:, i], [B, 1]. */
    static Tensor traceOfRows(Tensor[] rows) {
        Tensor acc = null;
        for (int i = 0; i < rows.length; i++) {
            Tensor diag = Ops.slice(rows[i], 1, i, i + 1);
            acc = acc == null ? diag : Ops.add(acc, diag);
        }
        return acc;
    }

    /** The Hutchinson estimate εᵀJε = Σ_j v_j ε_j per sample, [B, 1], from v = εᵀJ. */
    static Tensor traceOfProbe(Tensor v, Tensor eps) {
        return Ops.sum(Ops.mul(v, eps), true, 1);
    }
}
