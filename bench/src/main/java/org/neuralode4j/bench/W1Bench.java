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
import org.neuralode4j.bench.workloads.W1Classify2d;
import org.neuralode4j.tensor.kernels.KernelTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench w1}: the W1 workload (workloads.md §1), per variant: seconds per epoch, NFE, accuracy. */
@Command(name = "w1", mixinStandardHelpOptions = true, description = "W1: disk-annulus augmented NODE classifier.")
final class W1Bench implements Callable<Integer> {
    @Option(names = "--variants", split = ",", description = "Variants (default: ${DEFAULT-VALUE}).")
    List<String> variants = List.of("direct/none", "adjoint/none");

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}; the reference uses 20).")
    int epochs = 20;

    @Option(names = "--threads", description = "Threads (default ${DEFAULT-VALUE}): each batch is split into this many"
            + " data-parallel shards, each solved on its own thread with its own step control; NFE is per shard.")
    int threads = 1;

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (epochs < 1) {
            throw new org.neuralode4j.NeuralOdeException("--epochs must be >= 1, got " + epochs);
        }
        if (threads < 1) {
            throw new org.neuralode4j.NeuralOdeException("--threads must be >= 1, got " + threads);
        }
        for (String v : variants) {
            W1Classify2d.method(v);
        }
        KernelTuning.setMaxThreads(1); // the shards are the parallelism; W1's GEMMs are too small to split
        W1Classify2d w1 = new W1Classify2d();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String v : variants) {
            W1Classify2d.Result r = w1.run(v, epochs, seed, threads, e -> System.err.print("\r" + v + ": epoch " + e + "/" + epochs));
            System.err.println();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("median_s_per_epoch", r.medianSecondsPerEpoch());
            m.put("nfe_forward", r.nfeForwardLastEpoch());
            m.put("nfe_backward", r.nfeBackwardLastEpoch());
            m.put("train_accuracy", r.trainAccuracy());
            m.put("test_accuracy", r.testAccuracy());
            m.put("eval_nfe", r.evalNfe());
            m.put("last_epoch_bce", r.lastEpochBce());
            m.put("seconds_per_epoch", r.secondsPerEpoch());
            rows.add(m);
            System.out.printf("%-14s %.3f s/epoch  nfe fwd %.2f  bwd %.2f  train %.4f  test %.4f  eval nfe %d  bce %.4f%n",
                    r.name(), r.medianSecondsPerEpoch(), r.nfeForwardLastEpoch(), r.nfeBackwardLastEpoch(),
                    r.trainAccuracy(), r.testAccuracy(), r.evalNfe(), r.lastEpochBce());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "W1");
        out.put("epochs", epochs);
        out.put("threads", threads);
        out.put("seed", seed);
        out.put("java_version", System.getProperty("java.version"));
        out.put("variants", rows);
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }
}
