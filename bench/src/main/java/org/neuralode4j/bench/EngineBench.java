package org.neuralode4j.bench;

import static org.neuralode4j.autodiff.ops.Ops.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.tensor.kernels.GemmF32;
import org.neuralode4j.tensor.kernels.GemmF64;
import org.neuralode4j.tensor.kernels.KernelTuning;
import org.neuralode4j.tensor.kernels.Kernels;
import org.neuralode4j.tensor.kernels.VecMathF32;
import org.neuralode4j.tensor.kernels.VecMathF64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench engine}: the engine's headline numbers, single-threaded, as issue #3 defines them, in the precision
 * of {@code --dtype} (float32 by default): GEMM 256³ (Vector API and plain Java), forward+backward of a 3-layer tanh
 * MLP (64→64→64→64, batch 256, parameter gradients included), the three products of one such 64-wide layer, a 3×3 16→16 NHWC convolution on 28×28×64, and tanh
 * over 32768 elements.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, description = "Engine kernels: GEMM, MLP step, conv, tanh.")
final class EngineBench implements Callable<Integer> {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--dtype", paramLabel = "f32|f64", description = "Precision of every figure (default ${DEFAULT-VALUE}).")
    String dtype = "f32";

    @Option(names = "--seconds", paramLabel = "S", description = "About 20·S seconds of timed calls per figure (default ${DEFAULT-VALUE}).")
    double seconds = 0.1;

    @Override
    public Integer call() throws IOException {
        if (!(seconds > 0)) {
            throw new org.neuralode4j.NeuralOdeException("--seconds must be positive, got " + seconds);
        }
        DType dt = dtype(dtype);
        KernelTuning.setMaxThreads(1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dtype", dt.label());
        out.put("java_version", System.getProperty("java.version"));
        out.put("kernels", Kernels.describe());
        out.put("threads", 1);
        out.put("load_average_at_start", Timing.loadAverage());

        int n = 256;
        Rng rng = Rng.seeded(1);
        double[] a = rng.normal(n * n).toArray();
        double[] b = rng.normal(n * n).toArray();
        double[] c = new double[n * n];
        float[] af = toFloats(a);
        float[] bf = toFloats(b);
        float[] cf = new float[n * n];
        double flops = 2.0 * n * n * n;
        boolean f32 = dt == DType.F32;
        Runnable simd = f32 ? () -> GemmF32.gemm(n, n, n, af, 0, false, bf, 0, false, cf, 0, false)
                : () -> GemmF64.gemm(n, n, n, a, 0, false, b, 0, false, c, 0, false);
        Runnable plain = f32 ? () -> GemmF32.gemmPlain(n, n, n, af, 0, false, bf, 0, false, cf, 0, false)
                : () -> GemmF64.gemmPlain(n, n, n, a, 0, false, b, 0, false, c, 0, false);
        double[] g = perCall(simd);
        double[] gp = perCall(plain);
        out.put("gemm256_gflops", flops / g[0] / 1e9);
        out.put("gemm256_best_gflops", flops / g[1] / 1e9);
        out.put("gemm256_fallback_gflops", flops / gp[0] / 1e9);

        // The three products of one 64-wide hidden layer at batch 256 (W1's, and W2's at 512 rows): forward x·Wᵀ,
        // input gradient g·W and weight gradient gᵀ·x; their shape, not 256³, decides the workloads' GEMM speed.
        int bs = 256;
        int w64 = 64;
        float[] lx = Arrays.copyOf(af, bs * w64);
        float[] lw = Arrays.copyOf(bf, w64 * w64);
        float[] ly = new float[bs * w64];
        float[] lg = new float[w64 * w64];
        float[] ldx = new float[bs * w64];
        double[] lxd = Arrays.copyOf(a, bs * w64);
        double[] lwd = Arrays.copyOf(b, w64 * w64);
        double[] lyd = new double[bs * w64];
        double[] lgd = new double[w64 * w64];
        double[] ldxd = new double[bs * w64];
        Runnable layer = f32 ? () -> {
            GemmF32.gemm(bs, w64, w64, lx, 0, false, lw, 0, true, ly, 0, false);
            GemmF32.gemm(bs, w64, w64, ly, 0, false, lw, 0, false, ldx, 0, false);
            GemmF32.gemm(w64, w64, bs, ly, 0, true, lx, 0, false, lg, 0, false);
        } : () -> {
            GemmF64.gemm(bs, w64, w64, lxd, 0, false, lwd, 0, true, lyd, 0, false);
            GemmF64.gemm(bs, w64, w64, lyd, 0, false, lwd, 0, false, ldxd, 0, false);
            GemmF64.gemm(w64, w64, bs, lyd, 0, true, lxd, 0, false, lgd, 0, false);
        };
        double[] lt = perCall(layer);
        out.put("gemm_layer64_us", lt[0] * 1e6);
        out.put("gemm_layer64_best_us", lt[1] * 1e6);
        out.put("gemm_layer64_gflops", 3 * 2.0 * bs * w64 * w64 / lt[0] / 1e9);

        Tensor x = rng.normal(256, 64).to(dt);
        Tensor v = rng.normal(256, 64).to(dt);
        List<Tensor> params = List.of(
                rng.uniform(dt, -0.125, 0.125, 64, 64).requiringGrad(), rng.uniform(dt, -0.125, 0.125, 64).requiringGrad(),
                rng.uniform(dt, -0.125, 0.125, 64, 64).requiringGrad(), rng.uniform(dt, -0.125, 0.125, 64).requiringGrad(),
                rng.uniform(dt, -0.125, 0.125, 64, 64).requiringGrad(), rng.uniform(dt, -0.125, 0.125, 64).requiringGrad());
        Runnable mlp = () -> {
            Tensor h = tanh(add(matmul(x, params.get(0), false, true), params.get(1)));
            h = tanh(add(matmul(h, params.get(2), false, true), params.get(3)));
            Tensor y = add(matmul(h, params.get(4), false, true), params.get(5));
            Autograd.grad(dot(y, v), params);
        };
        double[] m = perCall(mlp);
        out.put("mlp_step_ms", m[0] * 1e3);
        out.put("mlp_step_best_ms", m[1] * 1e3);

        Tensor img = rng.normal(64, 28, 28, 16).to(dt);
        Tensor w = rng.normal(dt, 0, 0.1, 3, 3, 16, 16);
        double[] cv = perCall(() -> conv2d(img, w, 1, 1));
        out.put("conv16_fwd_ms", cv[0] * 1e3);
        out.put("conv16_fwd_best_ms", cv[1] * 1e3);

        double[] t = rng.uniform(-4, 4, 32768).toArray();
        double[] ty = new double[t.length];
        float[] tf = toFloats(t);
        float[] tyf = new float[t.length];
        double[] th = perCall(f32 ? () -> VecMathF32.tanh(tf, 0, tyf, 0, tf.length) : () -> VecMathF64.tanh(t, 0, ty, 0, t.length));
        out.put("tanh_ns_per_elem", th[0] * 1e9 / t.length);
        out.put("tanh_best_ns_per_elem", th[1] * 1e9 / t.length);

        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("gemm256_gflops", ">= 30");
        targets.put("mlp_step_ms", "<= 1.0");
        targets.put("conv16_fwd_ms", "<= 12");
        targets.put("tanh_ns_per_elem", "<= 2");
        out.put("targets", targets);

        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (e.getValue() instanceof Double) {
                String target = targets.getOrDefault(e.getKey(), "");
                System.out.printf("%-26s %10.3f   %s%n", e.getKey(), (Double) e.getValue(), target.isEmpty() ? "" : "target " + target);
            } else if (!(e.getValue() instanceof Map)) {
                System.out.printf("%-26s %s%n", e.getKey(), e.getValue());
            }
        }
        if (json != null) {
            out.put("load_average_at_end", Timing.loadAverage());
            writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }

    /** The dtype named by a {@code --dtype} value, or a one-line error. */
    static DType dtype(String text) {
        try {
            return DType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new org.neuralode4j.NeuralOdeException("--dtype " + text + " is not a precision: use f32 or f64");
        }
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /** {median, best} seconds per call: enough calls to fill about {@code seconds}·20, after a warm-up. */
    private double[] perCall(Runnable body) {
        int reps = Timing.repsFor(body, seconds);
        // C2 needs about a second of calls before the large SIMD kernels reach their final code.
        return Timing.perCall(body, Math.max(2.0, seconds * 3), Math.max(21, Math.min(5001, reps * 20)));
    }

    /** Writes to a temporary file beside the target, then renames: a reader never sees half a file. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Not createTempFile: its owner-only permissions would carry over to the result.
        Path tmp = (dir == null ? Path.of(".") : dir).resolve("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
