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
import org.neuralode4j.bench.workloads.W3ConvFmnist;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench w3}: the W3 workload (workloads.md §3), per variant: seconds per iteration, forward and backward
 * NFE (mean of 79 and of the last 20), test accuracy and test NFE per batch of 1000, training loss over the last
 * 20 iterations, and peak memory (heap after GC, heap peak, process RSS).
 */
@Command(name = "w3", mixinStandardHelpOptions = true, description = "W3: convolutional ODE classifier on Fashion-MNIST.")
final class W3Bench implements Callable<Integer> {
    @Option(names = "--variants", split = ",", description = "Variants (default: ${DEFAULT-VALUE}).")
    List<String> variants = W3ConvFmnist.VARIANTS;

    @Option(names = "--threads", description = "Kernel threads (default ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of parameters and state (default"
            + " ${DEFAULT-VALUE}, as the reference).")
    String dtype = "f32";

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--fmnist-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default: the lookup order"
            + " of datasets.md §3.1).")
    Path fmnistDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (threads < 1) {
            throw new org.neuralode4j.NeuralOdeException("--threads must be >= 1, got " + threads);
        }
        for (String v : variants) {
            W3ConvFmnist.method(v);
        }
        org.neuralode4j.tensor.DType precision = EngineBench.dtype(dtype);
        KernelTuning.setMaxThreads(threads);
        W3ConvFmnist w3 = new W3ConvFmnist(fmnistDir, precision);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String v : variants) {
            W3ConvFmnist.Result r = w3.run(v, seed, i -> System.err.print("\r" + v + ": iteration " + i + "/79"));
            System.err.println();
            int n = r.nfeForward().length;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("median_s_per_iter", r.medianSecondsPerIter());
            m.put("mean_s_per_iter", r.meanSecondsPerIter());
            m.put("median_cpu_s_per_iter", r.medianCpuSecondsPerIter());
            m.put("nfe_forward", W3ConvFmnist.Result.mean(r.nfeForward(), 0));
            m.put("nfe_backward", W3ConvFmnist.Result.mean(r.nfeBackward(), 0));
            m.put("nfe_forward_last20", W3ConvFmnist.Result.mean(r.nfeForward(), n - 20));
            m.put("nfe_backward_last20", W3ConvFmnist.Result.mean(r.nfeBackward(), n - 20));
            m.put("test_accuracy", r.testAccuracy());
            m.put("test_nfe_per_batch", r.testNfeMean());
            m.put("train_loss_first", r.loss()[0]);
            m.put("train_loss_last20", r.lossLast(20));
            m.put("heap_after_gc_mb", r.heapAfterGcBytes() / 1048576.0);
            m.put("heap_peak_mb", r.heapPeakBytes() / 1048576.0);
            m.put("rss_peak_mb", r.rssPeakBytes() < 0 ? null : r.rssPeakBytes() / 1048576.0);
            m.put("nfe_forward_per_iter", r.nfeForward());
            m.put("nfe_backward_per_iter", r.nfeBackward());
            m.put("seconds_per_iter", r.seconds());
            m.put("cpu_seconds_per_iter", r.cpuSeconds());
            rows.add(m);
            System.out.printf("%-8s %.4f s/iter (mean %.4f, cpu %.4f)  nfe fwd %.2f bwd %.2f (last 20: %.2f / %.2f)  test acc %.4f"
                            + "  test nfe %.1f  loss first %.3f last20 %.3f  heap after GC %.0f MB, heap peak %.0f MB, RSS peak %s%n",
                    r.name(), r.medianSecondsPerIter(), r.meanSecondsPerIter(), r.medianCpuSecondsPerIter(), m.get("nfe_forward"), m.get("nfe_backward"),
                    m.get("nfe_forward_last20"), m.get("nfe_backward_last20"), r.testAccuracy(), r.testNfeMean(),
                    r.loss()[0], r.lossLast(20), m.get("heap_after_gc_mb"), m.get("heap_peak_mb"),
                    r.rssPeakBytes() < 0 ? "unknown" : String.format("%.0f MB", r.rssPeakBytes() / 1048576.0));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", "Fashion-MNIST, first 10000 training images (file order), all 10000 test images; pixels/255");
        settings.put("model", "stem conv3x3 1->16 s2, ReLU, conv3x3 16->16 s2, ReLU; ODE block conv2(tanh(conv1(h))), 16 ch"
                + " at 7x7, t ignored; global average pool, Linear 16->10; 7290 parameters");
        settings.put("solver", "dopri5, torchdiffeq preset, rtol = atol = 1e-3, all B*16*7*7 values in the error norm");
        settings.put("optimiser", "Adam lr 1e-3, batch 128, one epoch = 79 iterations, permutation seeded seed + 100");
        settings.put("evaluation", "test set in 10 batches of 1000, DIRECT, no gradients");
        settings.put("rss_note", "RSS peak is the process's high-water mark, cumulative over the variants run before");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "W3");
        out.put("precision", precision == org.neuralode4j.tensor.DType.F32 ? "float32" : "float64");
        out.put("dtype", precision.label());
        out.put("threads", threads);
        out.put("seed", seed);
        out.put("java_version", System.getProperty("java.version"));
        out.put("settings", settings);
        out.put("variants", rows);
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }
}
