package org.neuralode4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.GradCheck;
import org.neuralode4j.bench.workloads.W1Classify2d;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.BceWithLogits;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench gradients}: the three gradient methods on the W1 model after its 20 training epochs, at W1's solver
 * settings, on one training batch of 256: forward and backward time, NFE, memory held for the backward pass and
 * the gradient's relative error against a direct gradient at rtol = atol = 1e-10.
 */
@Command(name = "gradients", mixinStandardHelpOptions = true, description = "Direct vs adjoint vs interpolated adjoint on W1.")
final class GradientsBench implements Callable<Integer> {
    @Option(names = "--epochs", description = "W1 training epochs before measuring (default ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1) {
            throw new org.neuralode4j.NeuralOdeException("--epochs must be >= 1, got " + epochs);
        }
        KernelTuning.setMaxThreads(1);
        W1Classify2d w1 = new W1Classify2d();
        AugmentedNodeClassifier model = w1.run("direct/none", epochs, 0, null).model();
        int[] first = new int[256];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        LabelledSet batch = w1.train.rows(first);
        SolverConfig tight = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-10, 1e-10));
        double[] reference = GradCheck.flatten(gradient(model, batch, tight, new Direct()).grads);

        List<Map<String, Object>> rows = new ArrayList<>();
        Object[][] methods = {{"direct", new Direct()}, {"adjoint", BacksolveAdjoint.torchdiffeqCompatible()},
            {"interpolated", InterpolatedAdjoint.defaults()}, {"interpolated_full", InterpolatedAdjoint.defaults().withNorm(org.neuralode4j.sensitivity.AdjointNorm.FULL)}};
        for (Object[] m : methods) {
            GradientMethod method = (GradientMethod) m[1];
            for (int i = 0; i < 30; i++) {
                gradient(model, batch, W1Classify2d.SOLVER, method);
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < 41; i++) {
                runs.add(gradient(model, batch, W1Classify2d.SOLVER, method));
            }
            runs.sort((a, b) -> Double.compare(a.forwardS + a.backwardS, b.forwardS + b.backwardS));
            Run med = runs.get(runs.size() / 2);
            double[] fw = runs.stream().mapToDouble(r -> r.forwardS).sorted().toArray();
            double[] bw = runs.stream().mapToDouble(r -> r.backwardS).sorted().toArray();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m[0]);
            row.put("forward_ms", fw[fw.length / 2] * 1e3);
            row.put("backward_ms", bw[bw.length / 2] * 1e3);
            row.put("nfe_forward", med.solution.stats().nfe());
            row.put("nfe_backward", med.solution.stats().backward().nfe());
            row.put("memory_bytes", med.solution.stats().backward().memoryBytes());
            row.put("grad_rel_error", GradCheck.relativeError(GradCheck.flatten(med.grads), reference));
            rows.add(row);
            System.out.printf("%-13s fwd %7.2f ms  bwd %7.2f ms  nfe %3d / %3d  memory %9d B  grad rel error %.3e%n", m[0],
                    row.get("forward_ms"), row.get("backward_ms"), row.get("nfe_forward"), row.get("nfe_backward"),
                    row.get("memory_bytes"), row.get("grad_rel_error"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "W1 after " + epochs + " epochs, batch 256, dopri5 torchdiffeq preset rtol=atol=1e-3");
        out.put("reference", "direct at rtol=atol=1e-10");
        out.put("methods", rows);
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    private record Run(double forwardS, double backwardS, Solution solution, List<Tensor> grads) {}

    private static Run gradient(AugmentedNodeClassifier model, LabelledSet batch, SolverConfig cfg, GradientMethod method) {
        List<Tensor> params = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            params.add(p.value());
        }
        long t0 = System.nanoTime();
        Solution s = model.flow(batch.x(), cfg, method);
        Tensor loss = BceWithLogits.mean(model.logits(s), batch.binaryTargets());
        long t1 = System.nanoTime();
        List<Tensor> g = Autograd.grad(loss, params);
        long t2 = System.nanoTime();
        return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, s, g);
    }


}
