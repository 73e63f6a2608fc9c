package example;

// README begin
import static org.neuralode4j.autodiff.ops.Ops.*;
// README end

import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** The README's "Using the engine", between the README markers, as a program. */
public final class EngineTour {
    public static void main(String[] args) {
        // README begin
        Tensor x = Rng.seeded(0).normal(8, 3).requiringGrad();
        Tensor w = Rng.seeded(1).normal(16, 3).requiringGrad();
        Tensor y = tanh(matmul(x, w, false, true));                    // [8, 16]
        Tensor v = Tensor.ones(8, 16);
        // vᵀ ∂y/∂x, recorded so that it can be differentiated again
        Tensor vjp = Autograd.grad(List.of(y), List.of(x), List.of(v), true, false).get(0);
        Tensor penalty = sumSquares(vjp);
        List<Tensor> g = Autograd.grad(penalty, List.of(x, w));         // second-order gradients
        // README end
        System.out.println("y " + y.shape() + ", second-order gradients " + g.get(0).shape() + " " + g.get(1).shape());
    }
}
