package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Second-order gradients through the layers, as Jacobian penalties need them: for a field f, the scalar
 * ‖vᵀ ∂f/∂x‖² (the Hutchinson Frobenius estimator) is built with a create-graph vector–Jacobian product, and its
 * gradient with respect to x and every weight is checked against finite differences and, for the 2-layer tanh
 * MLP, against the closed form of regularisers.md §7.
 */
@Tag("kernels")
class SecondOrderTest {
    /** sum((vᵀ ∂f/∂x)²), per sample, with the vjp recorded so that it can be differentiated again. */
    private static Tensor hutchinson(Tensor fx, Tensor x, Tensor v) {
        Tensor vjp = Autograd.grad(List.of(fx), List.of(x), List.of(v), true, false).get(0);
        return Ops.sum(Ops.square(vjp));
    }

    @Test
    void tanhMlpPenaltyGradients() {
        Rng rng = Rng.seeded(1);
        Sequential mlp = new Sequential(new Linear(3, 6, true, rng), Activation.TANH, new Linear(6, 3, true, rng));
        Tensor x = rng.normal(4, 3);
        Tensor v = rng.normal(4, 3);
        ModuleGradCheck.assertWithin("2-layer tanh MLP 3-6-3, B=4: d||v^T df/dx||^2 / d(x, W1, b1, W2, b2)",
                ModuleGradCheck.check(mlp, List.of(x), (m, in) -> hutchinson(((Module) m).forward(in.get(0)), in.get(0), v)), 1e-6);
    }

    /** The W3 ODE block's shape, conv₂(tanh(conv₁(h))) with 3×3 kernels and padding 1, on 4×4 maps of 2 channels. */
    @Test
    void convBlockPenaltyGradients() {
        Rng rng = Rng.seeded(4);
        Sequential block = new Sequential(new Conv2d(2, 2, 3, 1, 1, true, rng), Activation.TANH,
                new Conv2d(2, 2, 3, 1, 1, true, rng));
        Tensor x = rng.normal(2, 4, 4, 2);
        Tensor v = rng.normal(2, 4, 4, 2);
        ModuleGradCheck.assertWithin("conv block 3x3 2->2->2 on 4x4, B=2: d||v^T df/dx||^2 / d(x, W1, b1, W2, b2)",
                ModuleGradCheck.check(block, List.of(x), (m, in) -> hutchinson(((Module) m).forward(in.get(0)), in.get(0), v)), 1e-6);
    }

    /** ConcatConv2d on both convolutions (the CONCAT time handling), with t a checked input too. */
    @Test
    void concatConvBlockPenaltyGradients() {
        Rng rng = Rng.seeded(5);
        TimeSequential block = new TimeSequential(List.of(new ConcatConv2d(2, 2, 3, 1, 1, rng),
                TimeModule.ignoringTime(Activation.TANH), new ConcatConv2d(2, 2, 3, 1, 1, rng)));
        Tensor x = rng.normal(2, 3, 3, 2);
        Tensor v = rng.normal(2, 3, 3, 2);
        ModuleGradCheck.assertWithin("concat-conv block 3x3 on 3x3, B=2: d||v^T df/dx||^2 / d(x, t, params)",
                ModuleGradCheck.check(block, List.of(x, Tensor.scalar(0.4)),
                        (m, in) -> hutchinson(((TimeModule) m).forward(in.get(1), in.get(0)), in.get(0), v)), 1e-6);
    }

    @Test
    void softplusConcatSquashFieldPenaltyGradients() {
        Rng rng = Rng.seeded(2);
        TimeSequential field = Mlp.field(new Mlp.FieldConfig(List.of(2, 5, 5, 2), TimeInput.CONCAT_SQUASH,
                Activation.SOFTPLUS, false), rng);
        Tensor x = rng.normal(3, 2);
        Tensor v = rng.normal(3, 2);
        ModuleGradCheck.assertWithin("ConcatSquash softplus field 2-5-5-2, B=3: d||v^T df/dx||^2 / d(x, t, params)",
                ModuleGradCheck.check(field, List.of(x, Tensor.scalar(0.35)),
                        (m, in) -> hutchinson(((TimeModule) m).forward(in.get(1), in.get(0)), in.get(0), v)), 1e-6);
    }

    /**
     * One sample z, f(z) = W2 tanh(W1 z + b1) + b2, Φ = ‖εᵀJ‖² with G = 2 ε (Jᵀε)ᵀ (§7 table): ∇W2 = G W1ᵀ P,
     * ∇W1 = P W2ᵀ G + ā zᵀ, ∇b1 = ā, z̄ = W1ᵀ ā with ā = p̄ ⊙ (−2 h ⊙ p), p̄_k = Σ_ij W2_ik G_ij W1_kj.
     */
    @Test
    void tanhMlpPenaltyMatchesClosedForm() {
        Rng rng = Rng.seeded(3);
        int d = 3;
        int hdim = 5;
        Linear l1 = new Linear(d, hdim, true, rng);
        Linear l2 = new Linear(hdim, d, true, rng);
        Sequential mlp = new Sequential(l1, Activation.TANH, l2);
        double[] z = rng.normal(d).toArray();
        double[] eps = rng.normal(d).toArray();
        double[][] w1 = l1.weight().value().toArray2d();
        double[][] w2 = l2.weight().value().toArray2d();
        double[] b1 = l1.bias().orElseThrow().value().toArray();
        double[] h = new double[hdim];
        double[] p = new double[hdim];
        for (int k = 0; k < hdim; k++) {
            double a = b1[k];
            for (int j = 0; j < d; j++) {
                a += w1[k][j] * z[j];
            }
            h[k] = Math.tanh(a);
            p[k] = 1 - h[k] * h[k];
        }
        double[][] jac = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < hdim; k++) {
                    jac[i][j] += w2[i][k] * p[k] * w1[k][j];
                }
            }
        }
        double[] vv = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                vv[j] += jac[i][j] * eps[i];
            }
        }
        double[][] g = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                g[i][j] = 2 * eps[i] * vv[j];
            }
        }
        double[] abar = new double[hdim];
        for (int k = 0; k < hdim; k++) {
            double pbar = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    pbar += w2[i][k] * g[i][j] * w1[k][j];
                }
            }
            abar[k] = pbar * (-2 * h[k] * p[k]);
        }
        double[] gW2 = new double[d * hdim];
        double[] gW1 = new double[hdim * d];
        double[] zbar = new double[d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < hdim; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += g[i][j] * w1[k][j];
                }
                gW2[i * hdim + k] = s * p[k];
            }
        }
        for (int k = 0; k < hdim; k++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += w2[i][k] * g[i][j];
                }
                gW1[k * d + j] = p[k] * s + abar[k] * z[j];
                zbar[j] += w1[k][j] * abar[k];
            }
        }

        Tensor zLeaf = Tensor.of(z, 1, d).requiringGrad();
        Tensor phi = hutchinson(mlp.forward(zLeaf), zLeaf, Tensor.of(eps, 1, d));
        List<Tensor> inputs = List.of(zLeaf, l1.weight().value(), l1.bias().orElseThrow().value(), l2.weight().value(),
                l2.bias().orElseThrow().value());
        List<Tensor> grads = Autograd.grad(List.of(phi), inputs, null, false, true);
        assertArrayEquals(zbar, grads.get(0).toArray(), 1e-12, "z̄");
        assertArrayEquals(gW1, grads.get(1).toArray(), 1e-12, "∇W1");
        assertArrayEquals(abar, grads.get(2).toArray(), 1e-12, "∇b1");
        assertArrayEquals(gW2, grads.get(3).toArray(), 1e-12, "∇W2");
        assertArrayEquals(new double[d], grads.get(4).toArray(), 0.0, "∇b2");
    }
}
