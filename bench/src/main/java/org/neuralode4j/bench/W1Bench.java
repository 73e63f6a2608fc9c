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
    List<String> variants = List.of("direct/none", "adjoint/none", "direct/rnode", "adjoint/rnode");

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}; the reference uses 20).")
    int epochs = 20;

    @Option(names = "--threads", description = "Threads (default ${DEFAULT-VALUE}): each batch is split into this many"
            + " data-parallel shards, each solved on its own thread with its own step control; NFE is per shard.")
    int threads = 1;

    @Option(names = {"--seed", "--seeds"}, split = ",", description = "Seed, or seeds for a parity run (default ${DEFAULT-VALUE};"
            + " parity uses 0,1,2). With several, a variant's figures are medians over the seeds.")
    List<Long> seeds = List.of(0L);

    @Option(names = "--warmup", description = "Untimed iterations on a throwaway model before each timed run, so that"
            + " the epochs time JIT-compiled code (default ${DEFAULT-VALUE}, 80 epochs; 0 times a cold start).")
    int warmup = 640;

    @Option(names = "--rnode-channels", paramLabel = "SCOPE", description = "How the rnode variants hold their"
            + " channels: per-sample (default; workloads.md §0) or batch-mean (one scalar channel each, a parity"
            + " experiment: same loss, different step control).")
    String rnodeChannels = "per-sample";

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of parameters and state (default"
            + " ${DEFAULT-VALUE}, as the reference; time, steps and tolerances are float64 either way).")
    String dtype = "f32";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws IOException {
        double loadAtStart = Timing.loadAverage();
        if (epochs < 1) {
            throw new org.neuralode4j.NeuralOdeException("--epochs must be >= 1, got " + epochs);
        }
        if (threads < 1) {
            throw new org.neuralode4j.NeuralOdeException("--threads must be >= 1, got " + threads);
        }
        for (String v : variants) {
            W1Classify2d.method(v);
        }
        if (warmup < 0) {
            throw new org.neuralode4j.NeuralOdeException("--warmup must be >= 0, got " + warmup);
        }
        KernelTuning.setMaxThreads(1); // the shards are the parallelism; W1's GEMMs are too small to split
        org.neuralode4j.regularize.RegularisedDynamics.ChannelScope scope;
        switch (rnodeChannels) {
            case "per-sample":
                scope = org.neuralode4j.regularize.RegularisedDynamics.ChannelScope.PER_SAMPLE;
                break;
            case "batch-mean":
                scope = org.neuralode4j.regularize.RegularisedDynamics.ChannelScope.BATCH_MEAN;
                break;
            default:
                throw new org.neuralode4j.NeuralOdeException("--rnode-channels must be per-sample or batch-mean, got '"
                        + rnodeChannels + "'");
        }
        W1Classify2d w1 = new W1Classify2d(scope, EngineBench.dtype(dtype));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String v : variants) {
            List<W1Classify2d.Result> runs = new ArrayList<>();
            for (long seed : seeds) {
                String label = v + (seeds.size() > 1 ? " seed " + seed : "");
                runs.add(w1.run(v, epochs, seed, threads, warmup, e -> System.err.print("\r" + label + ": epoch " + e + "/" + epochs)));
                System.err.println();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v);
            m.put("median_s_per_epoch", median(runs, W1Classify2d.Result::medianSecondsPerEpoch));
            m.put("nfe_forward", median(runs, W1Classify2d.Result::nfeForwardLastEpoch));
            m.put("nfe_backward", median(runs, W1Classify2d.Result::nfeBackwardLastEpoch));
            m.put("train_accuracy", median(runs, W1Classify2d.Result::trainAccuracy));
            m.put("test_accuracy", median(runs, W1Classify2d.Result::testAccuracy));
            m.put("eval_nfe", median(runs, r -> r.evalNfe()));
            m.put("last_epoch_bce", median(runs, W1Classify2d.Result::lastEpochBce));
            Map<String, Object> parity = parity(v, runs);
            if (parity != null) {
                m.put("parity", parity);
            }
            List<Map<String, Object>> perSeed = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                W1Classify2d.Result r = runs.get(i);
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("seed", seeds.get(i));
                one.put("median_s_per_epoch", r.medianSecondsPerEpoch());
                one.put("nfe_forward", r.nfeForwardLastEpoch());
                one.put("nfe_backward", r.nfeBackwardLastEpoch());
                one.put("nfe_forward_mean", r.nfeForwardMean());
                one.put("nfe_backward_mean", r.nfeBackwardMean());
                one.put("train_accuracy", r.trainAccuracy());
                one.put("test_accuracy", r.testAccuracy());
                one.put("eval_nfe", r.evalNfe());
                one.put("last_epoch_bce", r.lastEpochBce());
                one.put("seconds_per_epoch", r.secondsPerEpoch());
                one.put("nfe_forward_per_epoch", r.nfeForwardPerEpoch());
                one.put("nfe_backward_per_epoch", r.nfeBackwardPerEpoch());
                perSeed.add(one);
                System.out.printf("%-14s %s seed %d  %.3f s/epoch  nfe fwd %.2f  bwd %.2f (mean of all its %.1f / %.1f)  train %.4f"
                                + "  test %.4f  eval nfe %d  bce %.4f%n",
                        v, EngineBench.dtype(dtype).label(), seeds.get(i), r.medianSecondsPerEpoch(), r.nfeForwardLastEpoch(), r.nfeBackwardLastEpoch(),
                        r.nfeForwardMean(), r.nfeBackwardMean(), r.trainAccuracy(), r.testAccuracy(), r.evalNfe(),
                        r.lastEpochBce());
            }
            m.put("runs", perSeed);
            rows.add(m);
            if (runs.size() > 1) {
                System.out.printf("%-14s median over %d seeds: %.3f s/epoch  nfe fwd %.2f  bwd %.2f%n", v, runs.size(),
                        (double) m.get("median_s_per_epoch"), (double) m.get("nfe_forward"), (double) m.get("nfe_backward"));
            }
            if (parity != null) {
                for (Map.Entry<String, Object> e : parity.entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> q = (Map<String, Object>) e.getValue();
                    double[] range = (double[]) q.get("range");
                    System.out.printf("  %s: median %.2f against the reference's %.2f (ratio %.2f, seeds %.2f-%.2f); within ±15%%: %s%n",
                            e.getKey(), (double) q.get("median"), (double) q.get("reference"), (double) q.get("ratio"),
                            range[0], range[1], q.get("within_15_percent"));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", "W1");
        out.put("epochs", epochs);
        out.put("threads", threads);
        out.put("dtype", EngineBench.dtype(dtype).label());
        out.put("seeds", seeds);
        out.put("warmup_iterations", warmup);
        out.put("rnode_channels", rnodeChannels);
        out.put("java_version", System.getProperty("java.version"));
        out.put("variants", rows);
        out.put("load_average_at_start", loadAtStart);
        out.put("load_average_at_end", Timing.loadAverage());
        if (json != null) {
            EngineBench.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    /**
     * The reference's last-epoch NFE per iteration, the median over its seeds 0–2 (torchdiffeq 0.2.5, float32, as the
     * speed issue gives them; workloads.md §1 lists seed 0 alone, whose backward figures, 48.5 and 38, sit at the
     * edge of the three seeds' spread): {forward, backward}.
     */
    private static final Map<String, double[]> REFERENCE_NFE = Map.of(
            "direct/none", new double[] {32.0, 0.0},
            "direct/rnode", new double[] {26.75, 0.0},
            "adjoint/none", new double[] {32.0, 56.0},
            "adjoint/rnode", new double[] {26.75, 34.25});

    private static double median(List<W1Classify2d.Result> runs, java.util.function.ToDoubleFunction<W1Classify2d.Result> f) {
        return W1Classify2d.median(runs.stream().mapToDouble(f).toArray());
    }

    /**
     * NFE parity (workloads.md §0): the median over seeds within ±15 % of the reference, with the range over seeds.
     * A verdict only for a parity run (seeds 0, 1, 2, all 20 epochs, one thread); otherwise the figures alone.
     */
    private Map<String, Object> parity(String variant, List<W1Classify2d.Result> runs) {
        double[] ref = REFERENCE_NFE.get(variant);
        if (ref == null) {
            return null;
        }
        boolean parityRun = epochs == 20 && threads == 1 && seeds.containsAll(List.of(0L, 1L, 2L));
        Map<String, Object> p = new LinkedHashMap<>();
        String[] names = {"nfe_forward", "nfe_backward"};
        for (int k = 0; k < 2; k++) {
            if (ref[k] == 0.0) {
                continue;
            }
            int kk = k;
            double[] values = runs.stream().mapToDouble(r -> kk == 0 ? r.nfeForwardLastEpoch() : r.nfeBackwardLastEpoch()).toArray();
            double med = W1Classify2d.median(values);
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("reference", ref[k]);
            q.put("median", med);
            q.put("range", new double[] {java.util.Arrays.stream(values).min().getAsDouble(), java.util.Arrays.stream(values).max().getAsDouble()});
            q.put("ratio", med / ref[k]);
            q.put("within_15_percent", parityRun ? Math.abs(med / ref[k] - 1.0) <= 0.15 : "no verdict: not a parity run");
            p.put(names[k], q);
        }
        return p;
    }
}
