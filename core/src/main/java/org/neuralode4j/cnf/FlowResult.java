package org.neuralode4j.cnf;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.tensor.Tensor;

/**
 * One likelihood pass of a {@link ContinuousFlow} (data → latent, cnf.md §1.2). Tensors are differentiable per
 * the pass's gradient method.
 *
 * @param z          z(T) of the last block, [B, D]
 * @param deltaLogp  ℓ at the end of the last block, [B, 1] (the sum over blocks)
 * @param kinetic    E at the end, [B, 1] (sum over blocks), or null when the channel is off
 * @param jacobian   N at the end, [B, 1] (sum over blocks), or null when the channel is off
 * @param logp       log p_x(x) = log p_base(z(T)) − ℓ(T), [B, 1], in nats
 * @param stats      each block's solve statistics, in block order (backward parts filled in after the backward pass)
 * @param channels   the channels and weights of this pass
 * @param estimators each block's divergence estimator, as {@link Divergence#label()}
 */
public record FlowResult(Tensor z, Tensor deltaLogp, Tensor kinetic, Tensor jacobian, Tensor logp, List<SolveStats> stats,
                         RnodeChannels channels, List<String> estimators) {
    public FlowResult {
        stats = List.copyOf(stats);
        estimators = List.copyOf(estimators);
    }

    /** Mean negative log-likelihood in nats per sample, −(1/B) Σ_b log p_x(x_b) (recorded). */
    public Tensor nll() {
        return Ops.neg(Ops.mean(logp));
    }

    /** λ_K·mean E + λ_J·mean N (recorded), or null without channels. */
    public Tensor penalty() {
        return channels.penalty(kinetic, jacobian);
    }

    /** The training loss: {@link #nll()} plus {@link #penalty()} (cnf.md §3.2). */
    public Tensor loss() {
        Tensor p = penalty();
        return p == null ? nll() : Ops.add(nll(), p);
    }

    /** mean_b E_b (unweighted), or NaN without the kinetic channel. */
    public double meanKinetic() {
        return kinetic == null ? Double.NaN : Ops.mean(kinetic.detach()).item();
    }

    /** mean_b N_b (unweighted), or NaN without the Jacobian channel. */
    public double meanJacobian() {
        return jacobian == null ? Double.NaN : Ops.mean(jacobian.detach()).item();
    }

    /** Forward NFE summed over blocks. */
    public long nfeForward() {
        long n = 0;
        for (SolveStats s : stats) {
            n += s.nfe();
        }
        return n;
    }

    /** Backward NFE summed over blocks: read it after the backward pass (0 before, and for DIRECT). */
    public long nfeBackward() {
        long n = 0;
        for (SolveStats s : stats) {
            if (s.backward() != null) {
                n += s.backward().nfe();
            }
        }
        return n;
    }

    /** Memory held for the backward pass, summed over blocks: read it after the backward pass (0 before). */
    public long memoryBytes() {
        long n = 0;
        for (SolveStats s : stats) {
            if (s.backward() != null) {
                n += s.backward().memoryBytes();
            }
        }
        return n;
    }

    /** log p_x per sample as numbers. */
    public double[] logDensities() {
        return logp.toArray();
    }

    /** RNODE's transport cost (cnf.md §3.6): mean_b mean_i (x_b,i − z_b,i(T))². */
    public double transportCost(Tensor x) {
        double[] a = x.toArray();
        double[] b = z.toArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s / a.length;
    }
}
