package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/**
 * Runs {@link GradCheck#check} with respect to a module's parameters as well as its inputs.
 *
 * <p>GradCheck differentiates with respect to leaves it makes itself, but a module reads its parameters from
 * its own slots ({@link Parameter#set} detaches). So the checked function copies GradCheck's parameter
 * arguments into the slots, evaluates the scalar s, and returns s + Σ ⟨θ_i − stop(θ_i), stop(∂s/∂p_i)⟩: the value
 * is s (the finite differences see the module with the perturbed parameters) and the reverse-mode gradient with
 * respect to θ_i is exactly the module's own ∂s/∂p_i. The parameters are restored afterwards.
 */
final class ModuleGradCheck {
    private ModuleGradCheck() {}

    /** Finite-difference step used throughout the nn tests. */
    static final double H = 1e-6;

    /**
     * @param module the module whose parameters are checked (all of them, in order)
     * @param inputs the module's data inputs (x, t, ...), checked directly
     * @param scalar the scalar function of the inputs (handed GradCheck's leaves) evaluated through the module
     * @return the per-argument relative errors: inputs first, then parameters
     */
    static GradCheck.Result check(Parameterized module, List<Tensor> inputs,
                                  BiFunction<Parameterized, List<Tensor>, Tensor> scalar) {
        List<Parameter> params = module.parameters();
        List<Tensor> saved = module.parameterTensors();
        int n = inputs.size();
        List<Tensor> all = new ArrayList<>(inputs);
        all.addAll(saved);
        try {
            return GradCheck.check(args -> {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).set(args.get(n + i));
                }
                Tensor s = scalar.apply(module, args.subList(0, n));
                List<Tensor> g = Autograd.grad(List.of(s), module.parameterTensors(), null, false, true);
                Tensor out = s;
                for (int i = 0; i < params.size(); i++) {
                    Tensor theta = args.get(n + i);
                    out = Ops.add(out, Ops.dot(Ops.sub(theta, theta.detach()), g.get(i)));
                }
                return out;
            }, all, H);
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).set(saved.get(i));
            }
        }
    }

    /** Asserts every relative error ≤ tol and prints them, labelled, for the report. */
    static double assertWithin(String what, GradCheck.Result r, double tol) {
        System.out.printf("[gradcheck] %-60s max rel err %.3e  per argument %s%n", what, r.maxError(),
                java.util.Arrays.toString(r.relErrors()));
        assertTrue(r.maxError() <= tol, what + ": relative error " + r.maxError() + " > " + tol + " per argument "
                + java.util.Arrays.toString(r.relErrors()));
        return r.maxError();
    }
}
