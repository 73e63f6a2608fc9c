package org.neuralode4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench solver}: the solver's own cost per adaptive Dopri5 step, on a field so cheap (f(z) = −z, batch 256,
 * dimension 3) that nearly all the time is the loop: stages, error norm, controller, bookkeeping.
 */
@Command(name = "solver", mixinStandardHelpOptions = true, description = "Solver overhead per adaptive Dopri5 step.")
final class SolverBench implements Callable<Integer> {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        KernelTuning.setMaxThreads(1);
        Dynamics f = Dynamics.of((t, z) -> Ops.neg(z), true);
        Tensor z0 = Rng.seeded(0).normal(256, 3);
        SolverConfig cfg = SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(1e-8, 1e-8));
        Solution probe = Ode.solve(f, z0, 0, 5, cfg);
        int attempts = probe.stats().attempts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("java_version", System.getProperty("java.version"));
        out.put("problem", "f(z) = -z, batch 256, dim 3, [0, 5], rtol = atol = 1e-8");
        out.put("attempts_per_solve", attempts);
        out.put("nfe_per_solve", probe.stats().nfe());
        double noGrad = Timing.medianSecondsPerCall(() -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Ode.solve(f, z0, 0, 5, cfg);
            }
        }, 1.0, 7, 20);
        Tensor z0g = z0.requiringGrad();
        double recorded = Timing.medianSecondsPerCall(() -> Ode.solve(f, z0g, 0, 5, cfg), 1.0, 7, 20);
        out.put("dopri5_step_overhead_us", noGrad / attempts * 1e6);
        out.put("dopri5_step_recorded_us", recorded / attempts * 1e6);
        out.put("target_dopri5_step_overhead_us", 20.0);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            System.out.printf("%-32s %s%n", e.getKey(), e.getValue() instanceof Double
                    ? String.format(java.util.Locale.ROOT, "%.2f", (Double) e.getValue()) : e.getValue());
        }
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }
}
