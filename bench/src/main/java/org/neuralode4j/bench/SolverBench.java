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
import org.neuralode4j.bench.workloads.W2Cnf2d;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveStats;
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
 * dimension 3) that nearly all the time is the loop: stages, error norm, controller, bookkeeping; and the cost of
 * per-sample against batch-wide step control on a W2-sized CNF.
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
        perSampleCnf(out);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            System.out.printf("%-32s %s%n", e.getKey(), e.getValue() instanceof Double
                    ? String.format(java.util.Locale.ROOT, "%.2f", (Double) e.getValue()) : e.getValue());
        }
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    /**
     * Per-sample against batch-wide step control (solvers.md §3.6) on a W2-sized CNF (CnfSpec.w2, exact trace,
     * W2's solver), evaluating 256 rows without gradients. Per-sample control evaluates all running samples in one
     * call at their own times, so the cost per evaluated row should stay within 2× of batch-wide; the whole solve
     * may even be cheaper, since easy samples stop early.
     */
    private static void perSampleCnf(Map<String, Object> out) {
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(0));
        Tensor x = Rng.seeded(1).normal(0.0, 1.5, 256, 2);
        SolverConfig wide = W2Cnf2d.SOLVER;
        SolverConfig per = wide.withBatchMode(BatchMode.PER_SAMPLE);
        SolveStats sw = flow.logLikelihood(x, wide, Rng.seeded(2)).stats().get(0);
        SolveStats sp = flow.logLikelihood(x, per, Rng.seeded(2)).stats().get(0);
        // Alternate the two in each round so that contention from other processes hits both alike.
        double[] tw = new double[7];
        double[] tp = new double[7];
        for (int r = 0; r < tw.length; r++) {
            tw[r] = Timing.medianSecondsPerCall(() -> flow.logLikelihood(x, wide, Rng.seeded(2)), r == 0 ? 1.0 : 0.1, 1, 3);
            tp[r] = Timing.medianSecondsPerCall(() -> flow.logLikelihood(x, per, Rng.seeded(2)), r == 0 ? 1.0 : 0.1, 1, 3);
        }
        java.util.Arrays.sort(tw);
        java.util.Arrays.sort(tp);
        double w = tw[tw.length / 2];
        double p = tp[tp.length / 2];
        out.put("cnf_w2_problem", "CnfSpec.w2 field, 256 rows ~ N(0, 1.5^2), exact trace, W2 solver, values only");
        out.put("cnf_w2_batch_wide_ms", w * 1e3);
        out.put("cnf_w2_per_sample_ms", p * 1e3);
        out.put("cnf_w2_batch_wide_row_evaluations", sw.rowEvaluations());
        out.put("cnf_w2_per_sample_row_evaluations", sp.rowEvaluations());
        out.put("cnf_w2_batch_wide_field_calls", sw.nfe());
        out.put("cnf_w2_per_sample_field_calls", sp.nfe());
        out.put("cnf_w2_per_sample_over_batch_wide_per_row", (p / sp.rowEvaluations()) / (w / sw.rowEvaluations()));
        out.put("cnf_w2_per_sample_over_batch_wide_per_solve", p / w);
    }
}
