package org.neuralode4j.cli.commands;

import static org.neuralode4j.autodiff.ops.Ops.*;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.Kernels;
import picocli.CommandLine.Command;

/**
 * The main job. Until the classifier lands it runs the engine's self-check: first- and second-order gradients of
 * a 2-layer tanh MLP against finite differences, on the kernels this JVM picked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show what the library does on built-in data (for now: the engine self-check).")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("neuralode4j engine self-check");
        System.out.println("  kernels: " + Kernels.describe());
        Rng rng = Rng.seeded(0);
        Tensor x = rng.normal(8, 3);
        Tensor w1 = rng.normal(16, 3);
        Tensor w2 = rng.normal(2, 16);
        Tensor v = rng.normal(8, 2);
        Function<List<Tensor>, Tensor> mlp = a -> matmul(tanh(matmul(a.get(0), a.get(1), false, true)), a.get(2), false, true);
        Function<List<Tensor>, Tensor> loss = a -> dot(mlp.apply(a), v);
        // ‖vᵀ ∂f/∂x‖²: the gradient of a vector-Jacobian product, as Jacobian penalties need.
        Function<List<Tensor>, Tensor> penalty = a -> {
            Tensor vjp = Autograd.grad(List.of(mlp.apply(a)), List.of(a.get(0)), List.of(v), true, false).get(0);
            return sumSquares(vjp);
        };
        double e1 = GradCheck.check(loss, List.of(x, w1, w2), 1e-6).maxError();
        double e2 = GradCheck.check(penalty, List.of(x, w1, w2), 1e-6).maxError();
        boolean ok = e1 <= 1e-6 && e2 <= 1e-6;
        System.out.printf("  first-order gradient vs finite differences:  relative error %.2e%n", e1);
        System.out.printf("  second-order gradient vs finite differences: relative error %.2e%n", e2);
        System.out.println(ok ? "  self-check passed" : "  SELF-CHECK FAILED");
        System.out.println("Engine speed: ./neuralode4j bench engine --json engine.json");
        return ok ? 0 : 1;
    }
}
