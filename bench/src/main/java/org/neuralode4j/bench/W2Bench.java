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
import org.neuralode4j.bench.workloads.W2Cnf2d;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench w2}: the W2 workload (workloads.md §2), per variant: seconds per iteration, NFE, final NLL. */
@Command(name = "w2", mixinStandardHelpOptions = true, description = "W2: FFJORD continuous normalising flow on 8gaussians.")
final class W2Bench implements Callable<Integer> {
    @Option(names = "--variants", split = ",", description = "Variants (default: ${DEFAULT-VALUE}).")
    List<String> variants = W2Cnf2d.VARIANTS;

    @Option(names = "--iters", description = "Iterations (default ${DEFAULT-VALUE}; the reference uses 300).")
    int iters = 300;

    @Option(names = "--method", description = "Gradient method: adjoint (the reference's) or direct (default: ${DEFAULT-VALUE}).")
    String method = "adjoint";

    @Option(names = "--field", description = "Field evaluation: closed (closed form, default) or autodiff (reference path).")
    String field = "closed";

    @Option(names = "--threads", description = "Kernel threads (default ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of parameters and state (default"
            + " ${DEFAULT-VALUE}, as the reference; time, steps and tolerances are float64 either way).")
    String dtype = "f32";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        double loadAtStart = Timing.loadAverage();
        if (iters < 1) {
            throw new org.neuralode4j.NeuralOdeException("--iters must be >= 1, got " + iters);
        }
        if (threads < 1) {
            throw new org.neuralode4j.NeuralOdeException("--threads must be >= 1, got " + threads);
        }
        for (String v : variants) {
            W2Cnf2d.divergence(v);
            W2Cnf2d.channels(v);
        }
        W2Cnf2d.method(method);
        if (!field.equals("closed") && !field.equals("autodiff")) {
            throw new org.neuralode4j.NeuralOdeException("--field must be closed or autodiff, got " + field);
        }
        KernelTuning.setMaxThreads(threads);
        W2Cnf2d w2 = new W2Cnf2d(EngineBench.dtype(dtype));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String v : variants) {
            W2Cnf2d.Result r = w2.run(v, iters, seed, method, field.equals("closed"), i -> {
                if (i % 10 == 0 || i == iters) {
                    System.err.print("\r" + v + ": iteration " + i + "/" + iters);
                }
            });
            System.err.println();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("median_s_per_iter", r.medianSecondsPerIter());
            m.put("mean_s_per_iter", r.meanSecondsPerIter());
            m.put("median_cpu_s_per_iter", r.medianCpuSecondsPerIter());
            m.put("nfe_forward", r.nfeForwardMean());
            m.put("nfe_backward", r.nfeBackwardMean());
            m.put("nfe_forward_last50", r.nfeForwardLast(50));
            m.put("nfe_backward_last50", r.nfeBackwardLast(50));
            m.put("final_nll", r.finalNll());
            m.put("eval_nfe", r.evalNfe());
            m.put("init_nll", r.initNll());
            m.put("true_nll", r.trueNll());
            m.put("train_nll_last50", r.trainNllLast(50));
            if (v.endsWith("/rnode")) {
                m.put("kinetic_last50", r.kineticLast(50));
                m.put("jacobian_last50", r.jacobianLast(50));
            }
            m.put("nfe_forward_by_50", r.nfeForwardWindows(50));
            m.put("nfe_backward_by_50", r.nfeBackwardWindows(50));
            m.put("train_nll_by_50", r.trainNllWindows(50));
            m.put("seconds_per_iter", r.seconds());
            rows.add(m);
            System.out.printf("%-12s %.4f s/iter (cpu %.4f)  nfe fwd %.2f  bwd %.2f  (last 50: %.2f / %.2f)  final nll %.4f"
                            + "  eval nfe %d  init %.4f  true %.4f  train last50 %.4f%n",
                    r.name(), r.medianSecondsPerIter(), r.medianCpuSecondsPerIter(), r.nfeForwardMean(), r.nfeBackwardMean(), r.nfeForwardLast(50),
                    r.nfeBackwardLast(50), r.finalNll(), r.evalNfe(), r.initNll(), r.trueNll(), r.trainNllLast(50));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", "8gaussians, fresh batch of 512 per iteration from a stream seeded with the seed;"
                + " evaluation: 5000 points drawn with seed + 1");
        settings.put("field", "ConcatSquash 2-64-64-64-2, tanh, 9224 parameters");
        settings.put("time", "t in [0, 0.5], T fixed");
        settings.put("solver", "dopri5, torchdiffeq preset, rtol = atol = 1e-5, every component in step control");
        settings.put("gradient", method.equals("adjoint") ? "BACKSOLVE_ADJOINT, torchdiffeq-compatible (FULL norm)" : "DIRECT");
        settings.put("optimiser", "Adam lr 1e-3, no weight decay");
        settings.put("rnode", "0.01 * mean ke(T) + 0.01 * mean jf(T), SUM, Gaussian eps once per solve");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "W2");
        out.put("precision", EngineBench.dtype(dtype) == org.neuralode4j.tensor.DType.F32 ? "float32" : "float64");
        out.put("dtype", EngineBench.dtype(dtype).label());
        out.put("iters", iters);
        out.put("threads", threads);
        out.put("seed", seed);
        out.put("method", method);
        out.put("field", field);
        out.put("java_version", System.getProperty("java.version"));
        out.put("settings", settings);
        out.put("variants", rows);
        out.put("load_average_at_start", loadAtStart);
        out.put("load_average_at_end", Timing.loadAverage());
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }
}
