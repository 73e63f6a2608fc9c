package example;

import java.util.List;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.models.ModuleField;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Mlp;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** The README's "Solving and differentiating an ODE", between the README markers, as a program. */
public final class SolveAndDifferentiate {
    public static void main(String[] args) {
        // README begin
        Dynamics f = new ModuleField(Mlp.of(List.of(3, 64, 64, 3), Activation.TANH, Rng.seeded(0)));
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));
        Tensor z0 = Rng.seeded(1).normal(256, 3).requiringGrad();
        Solution sol = Ode.solve(f, List.of(z0), new double[] {0, 1}, cfg, InterpolatedAdjoint.defaults());
        Tensor loss = Ops.sumSquares(sol.last(0));
        List<Tensor> grads = Autograd.grad(loss, f.parameters());   // runs the IRDM backward solve
        System.out.println(sol.stats());                            // NFE, steps, backward NFE, memory held
        // README end
        System.out.println("gradients: " + grads.size() + " parameter tensors");
    }
}
