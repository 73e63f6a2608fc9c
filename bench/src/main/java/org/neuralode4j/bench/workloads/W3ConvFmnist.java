package org.neuralode4j.bench.workloads;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.FashionMnist;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.ConvClassifierSpec;
import org.neuralode4j.models.ConvOdeClassifier;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.train.BatchStep;
import org.neuralode4j.train.BatchedEvaluation;

/**
 * W3 (workloads.md §3): the convolutional ODE classifier on the first 10000 Fashion-MNIST training images, one
 * epoch of 79 iterations (78 × 128 + 16) in a permutation drawn by a generator seeded seed + 100, Adam lr 1e-3,
 * the torchdiffeq-compatible dopri5 preset at rtol = atol = 1e-3 over all B·16·7·7 state values; then the
 * 10000 test images in batches of 1000 in file order, DIRECT without gradients. Variants: direct, adjoint.
 */
public final class W3ConvFmnist {
    public static final List<String> VARIANTS = List.of("direct", "adjoint");
    public static final SolverConfig SOLVER = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));
    public static final int TRAIN_IMAGES = 10000;
    public static final int BATCH = 128;
    public static final int EVAL_BATCH = 1000;

    /**
     * Results of one variant.
     *
     * @param cpuSeconds       CPU seconds of the training thread per iteration (less sensitive to other load)
     * @param heapAfterGcBytes the largest heap occupancy right after a collection during the run (live data)
     * @param heapPeakBytes    the largest heap occupancy seen by the pools (garbage included)
     * @param rssPeakBytes     the process's peak resident set (VmHWM; cumulative over the process, -1 if unknown)
     */
    public record Result(String name, double[] seconds, double[] cpuSeconds, long[] nfeForward, long[] nfeBackward, double[] loss,
                         double testAccuracy, double testNfeMean, long heapAfterGcBytes, long heapPeakBytes, long rssPeakBytes) {
        public double medianSecondsPerIter() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        public double medianCpuSecondsPerIter() {
            double[] s = cpuSeconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        public double meanSecondsPerIter() {
            return Arrays.stream(seconds).average().orElse(Double.NaN);
        }

        /** Mean over iterations [from, end). */
        public static double mean(long[] v, int from) {
            return Arrays.stream(v, from, v.length).average().orElse(Double.NaN);
        }

        public double lossLast(int k) {
            return Arrays.stream(loss, Math.max(0, loss.length - k), loss.length).average().orElse(Double.NaN);
        }
    }

    private final ImageSet train;
    private final ImageSet test;

    private final org.neuralode4j.tensor.DType dtype;

    /** Loads Fashion-MNIST (lookup order of datasets.md §3.1; {@code dir} may be null); the model in {@code dtype}. */
    public W3ConvFmnist(Path dir, org.neuralode4j.tensor.DType dtype) {
        this.dtype = dtype;
        this.train = FashionMnist.load(dir, FashionMnist.Split.TRAIN).first(TRAIN_IMAGES);
        this.test = FashionMnist.load(dir, FashionMnist.Split.TEST);
    }

    public static GradientMethod method(String variant) {
        switch (variant) {
            case "direct":
                return new Direct();
            case "adjoint":
                return BacksolveAdjoint.torchdiffeqCompatible();
            default:
                throw new NeuralOdeException("unknown W3 variant '" + variant + "': use direct or adjoint");
        }
    }

    /** One epoch of training and the test evaluation; {@code onIteration} gets the 1-based iteration. */
    public Result run(String variant, long seed, IntConsumer onIteration) {
        GradientMethod method = method(variant);
        ConvOdeClassifier model = new ConvOdeClassifier(ConvClassifierSpec.w3(), Rng.seeded(seed), dtype);
        Adam adam = new Adam(1e-3);
        int[] perm = Rng.seeded(seed + 100).permutation(train.size());
        int iters = (train.size() + BATCH - 1) / BATCH;
        double[] seconds = new double[iters];
        double[] cpu = new double[iters];
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] fwd = new long[iters];
        long[] bwd = new long[iters];
        double[] loss = new double[iters];
        resetPeaks();
        long afterGc = 0;
        for (int it = 0; it < iters; it++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            LabelledSet b = train.rows(Arrays.copyOfRange(perm, it * BATCH, Math.min(train.size(), (it + 1) * BATCH)));
            BatchStep.Result r = BatchStep.run(model, b, SOLVER, method, null);
            if (!Double.isFinite(r.loss())) {
                throw new NeuralOdeException("W3 " + variant + ": the loss became " + r.loss() + " at iteration " + (it + 1));
            }
            adam.step(model.parameters(), r.grads());
            seconds[it] = (System.nanoTime() - t0) / 1e9;
            cpu[it] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            fwd[it] = r.nfeForward();
            bwd[it] = r.nfeBackward();
            loss[it] = r.loss();
            afterGc = Math.max(afterGc, heapAfterLastGc());
            if (onIteration != null) {
                onIteration.accept(it + 1);
            }
        }
        BatchedEvaluation e = BatchedEvaluation.run(model, test, SOLVER, EVAL_BATCH);
        return new Result(variant, seconds, cpu, fwd, bwd, loss, e.accuracy(), e.nfeMean(), afterGc, heapPeak(), rssPeak());
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Heap occupancy after the most recent collection, summed over the heap pools. */
    private static long heapAfterLastGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getType() == MemoryType.HEAP ? p.getCollectionUsage() : null;
            if (u != null) {
                sum += u.getUsed();
            }
        }
        return sum;
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM of /proc/self/status in bytes, or -1 off Linux. */
    static long rssPeak() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
