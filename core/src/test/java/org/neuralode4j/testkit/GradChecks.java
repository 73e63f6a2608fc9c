package org.neuralode4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.ops.Ops;
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
        Rng rng = Rng.seeded(seed);
        Tensor probe = f.apply(detached(inputs));
        Tensor u = rng.normal(probe.shape().dims());
        List<Tensor> w = new ArrayList<>();
        for (Tensor t : inputs) {
            w.add(rng.normal(t.shape().dims()));
        }
        int n = inputs.size();
        Function<List<Tensor>, Tensor> vjpDotW = args -> {
            List<Tensor> xs = args.subList(0, n);
            Tensor uu = args.get(n);
            Tensor y = f.apply(xs);
            List<Tensor> g = Autograd.grad(List.of(y), xs, List.of(uu), true, true);
            Tensor s = null;
            for (int i = 0; i < n; i++) {
                Tensor term = Ops.dot(g.get(i), w.get(i));
                s = s == null ? term : Ops.add(s, term);
            }
            return s;
        };
        List<Tensor> all = new ArrayList<>(inputs);
        all.add(u);
        GradCheck.Result r = GradCheck.check(vjpDotW, all, 1e-6);
        assertTrue(r.maxError() <= tol, what + ": second-order relative error " + r.maxError() + " > " + tol
                + " per input " + java.util.Arrays.toString(r.relErrors()));
        return r.maxError();
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
