package org.neuralode4j.regularize;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.svd.SvdImplicitQrDecompose_DDRM;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Condition-number regulariser ∫φ(κ(∂f/∂z)) dt (Josias &amp; Brink 2022, "Jacobian Norm Regularisation and
 * Conditioning in Neural ODEs"; regularisers.md §5), with κ = σ_max/σ_min from exact singular values (EJML) and
 * φ = log (default) or the identity.
 *
 * <p>Gradient through the extreme singular vectors: with u, v the singular vectors of σ (held constant),
 * σ = uᵀJv has the exact first derivative dσ = uᵀ dJ v, so the integrand is built as a recorded function of the
 * Jacobian rows with u and v as constants. Its value equals φ(κ); its gradient is exact where σ_max and σ_min are
 * simple.
 */
public record ConditionNumber(double weight, Phi phi) implements JacobianRegulariser {
    /** The penalty applied to κ. */
    public enum Phi { LOG, IDENTITY }

    public ConditionNumber {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw ConfigException.of("condition weight", weight, "must be >= 0 and finite");
        }
        if (phi == null) {
            throw new ConfigException("condition regulariser: phi is required");
        }
    }

    @Override
    public String name() {
        return "condition";
    }

    @Override
    public Tensor integrand(Tensor z, Tensor f, Tensor v, Tensor[] rows) {
        int batch = f.dim(0);
        int d = rows.length;
        // Per sample: the extreme singular triplets of J_b (values only).
        double[] u1 = new double[batch * d];
        double[] v1 = new double[batch * d];
        double[] un = new double[batch * d];
        double[] vn = new double[batch * d];
        SvdImplicitQrDecompose_DDRM svd = new SvdImplicitQrDecompose_DDRM(false, true, true, false);
        for (int b = 0; b < batch; b++) {
            DMatrixRMaj j = new DMatrixRMaj(d, d);
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    j.set(i, k, rows[i].getFlat(b * d + k));
                }
            }
            if (!svd.decompose(j)) {
                throw new IllegalStateException("condition regulariser: SVD failed for sample " + b);
            }
            double[] s = svd.getSingularValues();
            DMatrixRMaj uu = svd.getU(null, false);
            DMatrixRMaj vv = svd.getV(null, false);
            int hi = 0;
            int lo = 0;
            for (int k = 1; k < d; k++) {
                if (s[k] > s[hi]) {
                    hi = k;
                }
                if (s[k] < s[lo]) {
                    lo = k;
                }
            }
            for (int i = 0; i < d; i++) {
                u1[b * d + i] = uu.get(i, hi);
                v1[b * d + i] = vv.get(i, hi);
                un[b * d + i] = uu.get(i, lo);
                vn[b * d + i] = vv.get(i, lo);
            }
        }
        Tensor sMax = bilinear(rows, Tensor.of(u1, batch, d), Tensor.of(v1, batch, d));
        Tensor sMin = bilinear(rows, Tensor.of(un, batch, d), Tensor.of(vn, batch, d));
        return phi == Phi.LOG ? Ops.sub(Ops.log(sMax), Ops.log(sMin)) : Ops.div(sMax, sMin);
    }

    /** Σ_i u_i · (row_i · v) per sample: uᵀ J v, [B, 1], recorded in the rows. */
    private static Tensor bilinear(Tensor[] rows, Tensor u, Tensor v) {
        Tensor acc = null;
        for (int i = 0; i < rows.length; i++) {
            Tensor jv = Ops.sum(Ops.mul(rows[i], v), true, 1);
            Tensor term = Ops.mul(jv, Ops.slice(u, 1, i, i + 1));
            acc = acc == null ? term : Ops.add(acc, term);
        }
        return acc;
    }
}
