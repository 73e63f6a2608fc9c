package org.neuralode4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** Shared first- and second-order gradient checks for tests. */
public final class GradChecks {
    private GradChecks() {}

    /** Asserts that the reverse-mode gradient of scalar f matches central differences. */
    public static double assertFirstOrder(String what, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double tol) {
        GradCheck.Result r = GradCheck.check(f, inputs, 1e-6);
        assertTrue(r.maxError() <= tol, what + ": first-order relative error " + r.maxError() + " > " + tol);
        return r.maxError();
    }

    /**
     * Second order, as torch's gradgradcheck: for a (tensor-valued) op f, fixed random u (output-shaped) and
     * w_i (input-shaped), checks the gradient of Σ_i ⟨w_i, ∂(uᵀ f)/∂x_i⟩ — computed with create-graph —
     * against finite differences, with respect to every input and to u.
     */
    public static double assertSecondOrder(String what, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed, double tol) {
        SecondOrderProbe p = secondOrderProbe(f, inputs, seed, false);
        GradCheck.Result r = GradCheck.check(p.vjpDotW(), p.inputs(), 1e-6);
        assertTrue(r.maxError() <= tol, what + ": second-order relative error " + r.maxError() + " > " + tol
                + " per input " + java.util.Arrays.toString(r.relErrors()));
        return r.maxError();
    }

    /** The scalar Σ_i ⟨w_i, ∂(uᵀ f)/∂x_i⟩ as a function of (x..., u), and the point (inputs, u) to check it at. */
    private record SecondOrderProbe(Function<List<Tensor>, Tensor> vjpDotW, List<Tensor> inputs) {}

    /** Builds the gradgradcheck scalar of {@link #assertSecondOrder}; it runs in the dtype of its arguments. */
    private static SecondOrderProbe secondOrderProbe(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed,
                                                     boolean atF32Point) {
        Rng rng = Rng.seeded(seed);
        Tensor probe = f.apply(detached(inputs));
        Tensor u = rng.normal(probe.dtype(), 0.0, 1.0, probe.shape().dims());
        List<Tensor> w = new ArrayList<>();
        for (Tensor t : inputs) {
            w.add(rng.normal(t.shape().dims()));
        }
        if (atF32Point) {
            w = roundedToF32(w);
        }
        List<Tensor> weights = w;
        int n = inputs.size();
        Function<List<Tensor>, Tensor> vjpDotW = args -> {
            List<Tensor> xs = args.subList(0, n);
            Tensor uu = args.get(n);
            Tensor y = f.apply(xs);
            List<Tensor> g = Autograd.grad(List.of(y), xs, List.of(uu), true, true);
            Tensor s = null;
            for (int i = 0; i < n; i++) {
                Tensor term = Ops.dot(g.get(i), weights.get(i).to(g.get(i).dtype()));
                s = s == null ? term : Ops.add(s, term);
            }
            return s;
        };
        List<Tensor> all = new ArrayList<>(inputs);
        all.add(u);
        return new SecondOrderProbe(vjpDotW, all);
    }

    /**
     * First order in float32: the reverse-mode gradient of Σ u ⊙ f(x) evaluated entirely in float32 (inputs, op,
     * backward rules) against central differences of the same function in float64, both at the same point (the
     * inputs and u rounded to float, so both precisions see identical values). Also asserts that the output and
     * every gradient stay float32. The error is {@link GradCheck}'s: per input, over the norm of the whole gradient.
     */
    public static double assertFirstOrderF32(String what, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double tol) {
        List<Tensor> at = roundedToF32(inputs);
        Tensor u = roundedToF32(List.of(Rng.seeded(7).normal(f.apply(at).shape().dims()))).get(0);
        Function<List<Tensor>, Tensor> scalar = args -> Ops.dot(f.apply(args), u.to(args.get(0).dtype()));
        return assertF32AgainstF64(what + " first order", scalar, at, tol);
    }

    /** Second order in float32, as {@link #assertSecondOrder}: the float32 gradient of the gradgradcheck scalar. */
    public static double assertSecondOrderF32(String what, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed, double tol) {
        SecondOrderProbe p = secondOrderProbe(f, roundedToF32(inputs), seed, true);
        return assertF32AgainstF64(what + " second order", p.vjpDotW(), roundedToF32(p.inputs()), tol);
    }

    private static double assertF32AgainstF64(String what, Function<List<Tensor>, Tensor> scalar, List<Tensor> at, double tol) {
        List<Tensor> numeric = GradCheck.check(scalar, at, 1e-6).numeric();
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : at) {
            leaves.add(t.to(DType.F32).requiringGrad());
        }
        Tensor y = scalar.apply(leaves);
        assertEquals(DType.F32, y.dtype(), what + ": output dtype");
        List<Tensor> analytic = Autograd.grad(List.of(y), leaves, null, false, true);
        double diff = 0;
        double norm = 0;
        double[] perInput = new double[at.size()];
        for (int i = 0; i < at.size(); i++) {
            assertEquals(DType.F32, analytic.get(i).dtype(), what + ": gradient dtype of input " + i);
            double[] a = analytic.get(i).toArray();
            double[] g = numeric.get(i).toArray();
            for (int k = 0; k < g.length; k++) {
                perInput[i] += (a[k] - g[k]) * (a[k] - g[k]);
                norm += g[k] * g[k];
            }
        }
        double worst = 0;
        for (double d : perInput) {
            worst = Math.max(worst, Math.sqrt(d / Math.max(norm, 1e-300)));
        }
        assertTrue(worst <= tol, what + ": float32 gradient relative error " + worst + " > " + tol);
        return worst;
    }

    /** The values rounded to float32, kept as float64 tensors: points both precisions represent exactly. */
    public static List<Tensor> roundedToF32(List<Tensor> in) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : in) {
            out.add(t.to(DType.F32).to(DType.F64));
        }
        return out;
    }

    private static List<Tensor> detached(List<Tensor> in) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : in) {
            out.add(t.detach().requiringGrad());
        }
        return out;
    }

    /** Σ u ⊙ f(x) with a fixed random u: turns a tensor-valued op into a scalar for first-order checks. */
    public static Function<List<Tensor>, Tensor> randomProjection(Function<List<Tensor>, Tensor> f, List<Tensor> at, long seed) {
        Tensor probe = f.apply(at);
        Tensor u = Rng.seeded(seed).normal(probe.shape().dims());
        return args -> Ops.dot(f.apply(args), u);
    }
}
