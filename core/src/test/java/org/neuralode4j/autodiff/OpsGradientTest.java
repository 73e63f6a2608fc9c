package org.neuralode4j.autodiff;

import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Shape;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.GradChecks;

/**
 * Every differentiable op against central finite differences, first order and second order (the gradient of
 * a create-graph vector–Jacobian product), on random shapes including broadcasting. Tagged "kernels": the
 * build runs it with the Vector API kernels and again with the plain-Java fallback.
 */
@Tag("kernels")
class OpsGradientTest {
    private static final double TOL = 1e-6;

    /** One op under test: a name, its inputs, and the op as a function of them. */
    record Case(String name, List<Tensor> inputs, Function<List<Tensor>, Tensor> op) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name);
            for (Tensor t : inputs) {
                sb.append(' ').append(t.shape());
            }
            return sb.toString();
        }
    }

    private static Tensor n(Rng r, int... dims) {
        return r.normal(dims);
    }

    /** Values bounded away from 0 (for log, sqrt, div, pow). */
    private static Tensor pos(Rng r, int... dims) {
        return r.uniform(0.5, 2.0, dims);
    }

    /** Values bounded away from 0 with random signs (for abs, relu: no kinks within a finite-difference step). */
    private static Tensor awayFromZero(Rng r, int... dims) {
        Tensor u = r.uniform(0.2, 1.5, dims);
        Tensor s = r.rademacher(dims);
        return org.neuralode4j.tensor.Primitives.mul(u, s);
    }

    private static Case c(String name, Function<List<Tensor>, Tensor> op, Tensor... in) {
        return new Case(name, List.of(in), op);
    }

    static Stream<Arguments> cases() {
        Rng r = Rng.seeded(42);
        List<Case> cs = new ArrayList<>();
        int[][][] binaryShapes = {
            {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{2, 3, 4}, {3, 1}}, {{2, 1, 4}, {1, 3, 1}},
            {{3, 4}, {}}, {{}, {2, 3}}, {{2, 2, 3, 2}, {2, 1, 3, 1}}, {{5, 1}, {1, 6}}
        };
        for (int[][] s : binaryShapes) {
            cs.add(c("add", a -> add(a.get(0), a.get(1)), n(r, s[0]), n(r, s[1])));
            cs.add(c("sub", a -> sub(a.get(0), a.get(1)), n(r, s[0]), n(r, s[1])));
            cs.add(c("mul", a -> mul(a.get(0), a.get(1)), n(r, s[0]), n(r, s[1])));
            cs.add(c("div", a -> div(a.get(0), a.get(1)), n(r, s[0]), awayFromZero(r, s[1])));
        }
        int[][] unaryShapes = {{}, {7}, {3, 5}, {2, 3, 4}, {2, 2, 3, 3}};
        for (int[] s : unaryShapes) {
            cs.add(c("neg", a -> neg(a.get(0)), n(r, s)));
            cs.add(c("exp", a -> exp(a.get(0)), n(r, s)));
            cs.add(c("log", a -> log(a.get(0)), pos(r, s)));
            cs.add(c("tanh", a -> tanh(a.get(0)), n(r, s)));
            cs.add(c("sigmoid", a -> sigmoid(a.get(0)), n(r, s)));
            cs.add(c("softplus", a -> softplus(a.get(0)), n(r, s)));
            cs.add(c("relu", a -> relu(a.get(0)), awayFromZero(r, s)));
            cs.add(c("square", a -> square(a.get(0)), n(r, s)));
            cs.add(c("sqrt", a -> sqrt(a.get(0)), pos(r, s)));
            cs.add(c("abs", a -> abs(a.get(0)), awayFromZero(r, s)));
            cs.add(c("pow1.5", a -> pow(a.get(0), 1.5), pos(r, s)));
            cs.add(c("pow-2", a -> Ops.pow(a.get(0), -2.0), pos(r, s)));
            cs.add(c("affine", a -> affine(a.get(0), -1.7, 0.3), n(r, s)));
            cs.add(c("sum", a -> sum(a.get(0)), n(r, s)));
            cs.add(c("mean", a -> mean(a.get(0)), n(r, s)));
        }
        cs.add(c("tanhBackward", a -> tanhBackward(a.get(0), a.get(1)), n(r, 3, 4), n(r, 3, 4)));
        cs.add(c("sigmoidBackward", a -> sigmoidBackward(a.get(0), a.get(1)), n(r, 3, 4), n(r, 3, 4)));
        cs.add(c("tanhBackward-broadcast", a -> tanhBackward(a.get(0), a.get(1)), n(r, 3, 4), n(r, 4)));
        cs.add(c("product3", a -> product3(a.get(0), a.get(1), a.get(2), -2.0), n(r, 3, 4), n(r, 3, 4), n(r, 3, 4)));
        cs.add(c("product3-broadcast", a -> product3(a.get(0), a.get(1), a.get(2), 1.5), n(r, 3, 4), n(r, 4),
                n(r, 3, 4)));
        cs.add(c("sum-axis0", a -> sum(a.get(0), false, 0), n(r, 3, 4)));
        cs.add(c("sum-axes-keep", a -> sum(a.get(0), true, 0, 2), n(r, 2, 3, 4)));
        cs.add(c("mean-axis-1", a -> mean(a.get(0), false, -1), n(r, 2, 3, 4)));
        cs.add(c("sumTo", a -> sumTo(a.get(0), Shape.of(3, 1)), n(r, 2, 3, 4)));
        cs.add(c("broadcastTo", a -> broadcastTo(a.get(0), Shape.of(2, 3, 4)), n(r, 3, 1)));
        cs.add(c("max-axis1", a -> max(a.get(0), 1), n(r, 3, 5)));
        cs.add(c("max-axis0", a -> max(a.get(0), 0), n(r, 4, 2, 3)));
        cs.add(c("logSumExp", a -> logSumExp(a.get(0), 1), n(r, 4, 5)));
        int[][][] mm = {{{3, 4}, {4, 5}}, {{1, 6}, {6, 1}}, {{7, 2}, {2, 3}}};
        for (int[][] s : mm) {
            int m = s[0][0];
            int k = s[0][1];
            int nn = s[1][1];
            cs.add(c("matmul", a -> matmul(a.get(0), a.get(1)), n(r, m, k), n(r, k, nn)));
            cs.add(c("matmul-tA", a -> matmul(a.get(0), a.get(1), true, false), n(r, k, m), n(r, k, nn)));
            cs.add(c("matmul-tB", a -> matmul(a.get(0), a.get(1), false, true), n(r, m, k), n(r, nn, k)));
            cs.add(c("matmul-tAB", a -> matmul(a.get(0), a.get(1), true, true), n(r, k, m), n(r, nn, k)));
        }
        cs.add(c("linear", a -> linear(a.get(0), a.get(1), a.get(2)), n(r, 5, 3), n(r, 4, 3), n(r, 4)));
        cs.add(c("linear-nobias", a -> linear(a.get(0), a.get(1), null), n(r, 5, 3), n(r, 4, 3)));
        cs.add(c("linearTanh", a -> linearTanh(a.get(0), a.get(1), a.get(2)), n(r, 5, 3), n(r, 4, 3), n(r, 4)));
        cs.add(c("linearTanh-nobias", a -> linearTanh(a.get(0), a.get(1), null), n(r, 5, 3), n(r, 4, 3)));
        cs.add(c("mlpTanh-1layer", a -> mlpTanh(a.get(0), List.of(a.get(1)), List.of(a.get(2))), n(r, 5, 3), n(r, 4, 3), n(r, 4)));
        cs.add(c("mlpTanh-2layers", a -> mlpTanh(a.get(0), List.of(a.get(1), a.get(3)), List.of(a.get(2), a.get(4))),
                n(r, 5, 3), n(r, 6, 3), n(r, 6), n(r, 2, 6), n(r, 2)));
        cs.add(c("mlpTanh-3layers", a -> mlpTanh(a.get(0), List.of(a.get(1), a.get(3), a.get(5)), List.of(a.get(2), a.get(4), a.get(6))),
                n(r, 4, 3), n(r, 5, 3), n(r, 5), n(r, 6, 5), n(r, 6), n(r, 3, 6), n(r, 3)));
        cs.add(c("matmul-batched", a -> matmul(a.get(0), a.get(1)), n(r, 2, 3, 4), n(r, 2, 4, 2)));
        cs.add(c("matmul-batched-tB", a -> matmul(a.get(0), a.get(1), false, true), n(r, 2, 3, 4), n(r, 2, 5, 4)));
        cs.add(c("matmul-shared-rhs", a -> matmul(a.get(0), a.get(1)), n(r, 2, 3, 4), n(r, 4, 5)));
        cs.add(c("transpose", a -> transpose(a.get(0)), n(r, 3, 4)));
        cs.add(c("permute", a -> permute(a.get(0), 2, 0, 3, 1), n(r, 2, 3, 4, 2)));
        cs.add(c("reshape", a -> reshape(a.get(0), 4, -1), n(r, 2, 3, 4)));
        cs.add(c("slice", a -> slice(a.get(0), 1, 1, 3), n(r, 2, 4, 3)));
        cs.add(c("padSlice", a -> padSlice(a.get(0), Shape.of(2, 5, 3), 1, 2), n(r, 2, 2, 3)));
        cs.add(c("concat", a -> concat(List.of(a.get(0), a.get(1), a.get(2)), 1), n(r, 2, 1, 3), n(r, 2, 4, 3), n(r, 2, 2, 3)));
        cs.add(c("stack", a -> stack(List.of(a.get(0), a.get(1)), 0), n(r, 3, 2), n(r, 3, 2)));
        cs.add(c("indexSelect", a -> indexSelect(a.get(0), new int[] {2, 0, 2, 3}), n(r, 4, 3)));
        cs.add(c("indexAdd", a -> indexAdd(a.get(0), new int[] {1, 1, 0}, 3), n(r, 3, 2)));
        cs.add(c("takeAlong", a -> takeAlong(a.get(0), 1, new int[] {0, 3, 1}), n(r, 3, 4)));
        cs.add(c("putAlong", a -> putAlong(a.get(0), Shape.of(3, 4), 1, new int[] {0, 3, 1}), n(r, 3)));
        cs.add(c("conv2d-3x3", a -> conv2d(a.get(0), a.get(1), 1, 1), n(r, 2, 5, 4, 2), n(r, 3, 3, 2, 3)));
        cs.add(c("conv2d-1x1", a -> conv2d(a.get(0), a.get(1), 1, 0), n(r, 2, 3, 3, 3), n(r, 1, 1, 3, 2)));
        cs.add(c("conv2d-stride2", a -> conv2d(a.get(0), a.get(1), 2, 1), n(r, 1, 6, 5, 2), n(r, 3, 3, 2, 2)));
        cs.add(c("conv2dInputGrad", a -> conv2dInputGrad(a.get(0), a.get(1), Shape.of(2, 4, 4, 2), 1, 1),
                n(r, 2, 4, 4, 3), n(r, 3, 3, 2, 3)));
        cs.add(c("conv2dWeightGrad", a -> conv2dWeightGrad(a.get(0), a.get(1), Shape.of(3, 3, 2, 3), 1, 1),
                n(r, 2, 4, 4, 2), n(r, 2, 4, 4, 3)));
        cs.add(c("avgPool2d", a -> avgPool2d(a.get(0), 2, 2), n(r, 2, 4, 6, 3)));
        cs.add(c("avgPool2dBackward", a -> avgPool2dBackward(a.get(0), Shape.of(1, 4, 4, 2), 2, 2), n(r, 1, 2, 2, 2)));
        cs.add(c("linearCombination", a -> linearCombination(new double[] {0.5, 0.0, -2.0}, a.get(0), a.get(1), a.get(2)),
                n(r, 3, 2), n(r, 3, 2), n(r, 3, 2)));
        cs.add(c("dot", a -> dot(a.get(0), a.get(1)), n(r, 3, 4), n(r, 3, 4)));
        cs.add(c("norm", a -> norm(a.get(0)), n(r, 3, 4)));
        cs.add(c("sumSquares", a -> sumSquares(a.get(0)), n(r, 5)));
        cs.add(c("composite-mlp", a -> tanh(add(matmul(tanh(add(matmul(a.get(0), a.get(1), false, true), a.get(2))),
                a.get(3), false, true), a.get(4))), n(r, 4, 3), n(r, 5, 3), n(r, 5), n(r, 2, 5), n(r, 2)));
        cs.add(c("reuse", a -> mul(mul(a.get(0), a.get(0)), exp(a.get(0))), n(r, 2, 3)));
        return cs.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstOrderMatchesFiniteDifferences(Case c) {
        Function<List<Tensor>, Tensor> scalar = GradChecks.randomProjection(c.op(), c.inputs(), 7);
        GradChecks.assertFirstOrder(c.toString(), scalar, c.inputs(), TOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondOrderMatchesFiniteDifferences(Case c) {
        GradChecks.assertSecondOrder(c.toString(), c.op(), c.inputs(), 11, TOL);
    }

    /**
     * Bound on the float32 gradients' relative error against float64 finite differences, in units of float32's
     * round-off u = 2^-24 ≈ 6e-8 (each float op is exact up to a factor 1 ± u). The gradients here pass through
     * at most about ten rounded ops in sequence (second order: forward, backward and the backward of the backward
     * of a three-layer MLP) and sums of at most about fifty terms, and the error is measured against the norm of
     * the whole gradient, so rounding contributes a small multiple of u: the worst case measured over all cases,
     * first and second order, both kernel families, is 1.6e-7 ≈ 2.7·u (which includes the finite differences' own
     * error). The tolerance is 32·u ≈ 1.9e-6, a margin of about ten over that. A wrong float32 path (a rule
     * evaluated on the wrong operand, a dropped term, a constant left unrounded in a way that mattered) errs by
     * far more than 32 rounding errors.
     */
    private static final double TOL_F32 = 32 * 0x1p-24;

    /** Values too: every op run in float32 against the same op in float64 at the same point, same error measure. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32ValuesMatchFloat64(Case c) {
        List<Tensor> at = GradChecks.roundedToF32(c.inputs());
        List<Tensor> at32 = new ArrayList<>();
        for (Tensor t : at) {
            at32.add(t.to(DType.F32));
        }
        Tensor y32 = c.op().apply(at32);
        Tensor y64 = c.op().apply(at);
        org.junit.jupiter.api.Assertions.assertEquals(DType.F32, y32.dtype(), c + ": output dtype");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < y64.size(); i++) {
            double d = y32.getFlat(i) - y64.getFlat(i);
            diff += d * d;
            norm += y64.getFlat(i) * y64.getFlat(i);
        }
        double err = Math.sqrt(diff / Math.max(norm, 1e-300));
        org.junit.jupiter.api.Assertions.assertTrue(err <= TOL_F32, c + ": float32 value relative error " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstOrderInFloat32MatchesFloat64FiniteDifferences(Case c) {
        GradChecks.assertFirstOrderF32(c.toString(), c.op(), c.inputs(), TOL_F32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondOrderInFloat32MatchesFloat64FiniteDifferences(Case c) {
        GradChecks.assertSecondOrderF32(c.toString(), c.op(), c.inputs(), 11, TOL_F32);
    }
}
