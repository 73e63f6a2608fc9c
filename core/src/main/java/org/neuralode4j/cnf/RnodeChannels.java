package org.neuralode4j.cnf;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * RNODE's two regulariser channels on a CNF: Finlay, Jacobsen, Nurbekyan &amp; Oberman (2020), "How to train your
 * neural ODE: the world of Jacobian and kinetic regularization" (cnf.md §3, regularisers.md §3–4). Per sample,
 * integrated with the flow, in training only:
 * <pre>
 *   dE/dt = c_K · ‖f‖²          (kinetic energy)
 *   dN/dt = c_J · ‖εᵀ ∂f/∂z‖²    (Jacobian Frobenius norm, Hutchinson)
 * </pre>
 * and the loss adds λ_K·mean_b E(T) + λ_J·mean_b N(T). A weight of 0 removes the channel.
 *
 * <p>Work sharing (regularisers.md §2.4): with a Hutchinson divergence N reuses the trace's ε and its single
 * vjp v = εᵀJ, so the channel costs no extra reverse sweep. With the exact divergence it either draws its own
 * Gaussian ε and pays one extra vjp ({@link ExactTraceJacobian#OWN_PROBE}, the W2 reference's "exact + rnode"),
 * or reads the exact ‖J‖²_F from the rows the trace already computed ({@link ExactTraceJacobian#EXACT_ROWS}).
 *
 * @param kineticWeight       λ_K ≥ 0
 * @param jacobianWeight      λ_J ≥ 0
 * @param normalisation       SUM (c_K = c_J = 1) or RNODE_MEAN (c_K = 1/(2D), c_J = 1/D)
 * @param inStepControl       whether E and N join the adaptive error norm (W2: yes; RNODE: no, i.e. tolerances 1e20)
 * @param exactTraceJacobian  where N comes from when the divergence is exact
 */
public record RnodeChannels(double kineticWeight, double jacobianWeight, Normalisation normalisation,
                            boolean inStepControl, ExactTraceJacobian exactTraceJacobian) {

    /** How the channels are reduced over the D entries of a sample (regularisers.md §3, §4). */
    public enum Normalisation {
        /** ‖f‖² and ‖v‖², sums over dimensions: the W1/W2 reference (workloads.md §0). */
        SUM,
        /** (1/(2D))‖f‖² and (1/D)‖v‖²: exactly what RNODE's code integrates (cnf.md §3.1). */
        RNODE_MEAN
    }

    /** The Jacobian channel's source when the divergence is exact. */
    public enum ExactTraceJacobian {
        /** A Gaussian ε of its own and one extra vjp per evaluation (W2 "exact/rnode"). */
        OWN_PROBE,
        /** The exact ‖J‖²_F from the trace's rows, at no extra cost (the library's 2-D RNODE preset, cnf.md §4.1). */
        EXACT_ROWS
    }

    public RnodeChannels {
        check("kineticWeight", kineticWeight);
        check("jacobianWeight", jacobianWeight);
        if (normalisation == null || exactTraceJacobian == null) {
            throw new ConfigException("rnode channels: normalisation and exactTraceJacobian are required");
        }
    }

    private static void check(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw ConfigException.of(name, w, "must be >= 0 and finite");
        }
    }

    /** No channels: plain maximum likelihood. */
    public static RnodeChannels none() {
        return new RnodeChannels(0, 0, Normalisation.SUM, false, ExactTraceJacobian.OWN_PROBE);
    }

    /**
     * The W1/W2 "rnode" channels (workloads.md §0): λ_K = λ_J = 0.01, SUM normalisation, in step control; with an
     * exact divergence the Jacobian term gets its own Gaussian ε.
     */
    public static RnodeChannels w2() {
        return new RnodeChannels(0.01, 0.01, Normalisation.SUM, true, ExactTraceJacobian.OWN_PROBE);
    }

    /**
     * RNODE's own recipe (cnf.md §3): λ_K = λ_J = 0.01, RNODE_MEAN normalisation, out of step control; with an
     * exact divergence (2-D) the exact ‖J‖²_F/D from the trace's rows.
     */
    public static RnodeChannels rnode() {
        return new RnodeChannels(0.01, 0.01, Normalisation.RNODE_MEAN, false, ExactTraceJacobian.EXACT_ROWS);
    }

    /** A copy with other weights. */
    public RnodeChannels withWeights(double kinetic, double jacobian) {
        return new RnodeChannels(kinetic, jacobian, normalisation, inStepControl, exactTraceJacobian);
    }

    /** A copy with the channels in or out of step control. */
    public RnodeChannels withStepControl(boolean in) {
        return new RnodeChannels(kineticWeight, jacobianWeight, normalisation, in, exactTraceJacobian);
    }

    public RnodeChannels withNormalisation(Normalisation n) {
        return new RnodeChannels(kineticWeight, jacobianWeight, n, inStepControl, exactTraceJacobian);
    }

    public RnodeChannels withExactTraceJacobian(ExactTraceJacobian j) {
        return new RnodeChannels(kineticWeight, jacobianWeight, normalisation, inStepControl, j);
    }

    /** True when the kinetic channel E is integrated. */
    public boolean kinetic() {
        return kineticWeight > 0;
    }

    /** True when the Jacobian channel N is integrated. */
    public boolean jacobian() {
        return jacobianWeight > 0;
    }

    /** True when no channel is integrated. */
    public boolean isEmpty() {
        return !kinetic() && !jacobian();
    }

    /** c_K·‖f‖² per sample, [B, 1]. */
    Tensor kineticIntegrand(Tensor f) {
        Tensor s = Ops.sum(Ops.square(f), true, 1);
        return normalisation == Normalisation.SUM ? s : Ops.mul(s, 0.5 / f.dim(1));
    }

    /** c_J·‖v‖² per sample, [B, 1], from a probe product v = εᵀJ. */
    Tensor jacobianIntegrand(Tensor v) {
        Tensor s = Ops.sum(Ops.square(v), true, 1);
        return normalisation == Normalisation.SUM ? s : Ops.mul(s, 1.0 / v.dim(1));
    }

    /** c_J·‖J‖²_F per sample, [B, 1], from the Jacobian's rows. */
    Tensor jacobianIntegrand(Tensor[] rows) {
        Tensor s = null;
        for (Tensor r : rows) {
            Tensor t = Ops.sum(Ops.square(r), true, 1);
            s = s == null ? t : Ops.add(s, t);
        }
        return normalisation == Normalisation.SUM ? s : Ops.mul(s, 1.0 / rows.length);
    }

    /**
     * λ_K·mean_b E_b + λ_J·mean_b N_b (cnf.md §3.2), or null when there are no channels.
     *
     * @param kineticValues  E(T) [B, 1], or null when absent
     * @param jacobianValues N(T) [B, 1], or null when absent
     */
    public Tensor penalty(Tensor kineticValues, Tensor jacobianValues) {
        Tensor total = null;
        if (kinetic() && kineticValues != null) {
            total = Ops.mul(Ops.mean(kineticValues), kineticWeight);
        }
        if (jacobian() && jacobianValues != null) {
            Tensor t = Ops.mul(Ops.mean(jacobianValues), jacobianWeight);
            total = total == null ? t : Ops.add(total, t);
        }
        return total;
    }
}
