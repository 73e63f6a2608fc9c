package org.neuralode4j.bench.workloads;

import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.loss.Accuracy;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.regularize.JacobianFrobenius;
import org.neuralode4j.regularize.KineticEnergy;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.train.BatchStep;
import org.neuralode4j.train.DataParallel;

/**
 * W1 (workloads.md §1): the disk-annulus augmented neural-ODE classifier, trained with Adam (lr 1e-2, batch 256,
 * 20 epochs) and solved with the torchdiffeq-compatible dopri5 preset at rtol = atol = 1e-3; variants
 * direct/none, adjoint/none, direct/rnode and adjoint/rnode (kinetic + Hutchinson Jacobian, λ = 0.01 each).
 */
public final class W1Classify2d {
    /** W1's solver settings. */
    public static final SolverConfig SOLVER = SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-3, 1e-3));

    /** Results of one variant. */
    public record Result(String name, double[] secondsPerEpoch, double[] nfeForwardPerEpoch, double[] nfeBackwardPerEpoch,
                         double trainAccuracy, double testAccuracy, long evalNfe, double lastEpochBce,
                         AugmentedNodeClassifier model) {
        public double medianSecondsPerEpoch() {
            return median(secondsPerEpoch);
        }

        /** Forward NFE per iteration, mean over the last epoch's iterations (the reported figure). */
        public double nfeForwardLastEpoch() {
            return nfeForwardPerEpoch[nfeForwardPerEpoch.length - 1];
        }

        /** Backward NFE per iteration, mean over the last epoch's iterations. */
        public double nfeBackwardLastEpoch() {
            return nfeBackwardPerEpoch[nfeBackwardPerEpoch.length - 1];
        }

        /** Forward NFE per iteration, mean over all iterations (epochs have equal iteration counts). */
        public double nfeForwardMean() {
            return java.util.Arrays.stream(nfeForwardPerEpoch).average().orElse(Double.NaN);
        }

        /** Backward NFE per iteration, mean over all iterations. */
        public double nfeBackwardMean() {
            return java.util.Arrays.stream(nfeBackwardPerEpoch).average().orElse(Double.NaN);
        }
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    public final LabelledSet train = Toys2d.diskAnnulus(2048, 0);
    public final LabelledSet test = Toys2d.diskAnnulus(2048, 1);

    /**
     * How the rnode variants hold their channels. PER_SAMPLE is workloads.md §0's definition; BATCH_MEAN (one
     * scalar channel per regulariser) is a parity experiment: on the same trained weights it takes the steps
     * that reproduce the reference's rnode forward NFE (see {@code bench w1 --rnode-channels}).
     */
    private final org.neuralode4j.regularize.RegularisedDynamics.ChannelScope channels;

    /** W1 with the rnode channels per sample (workloads.md §0). */
    public W1Classify2d() {
        this(org.neuralode4j.regularize.RegularisedDynamics.ChannelScope.PER_SAMPLE);
    }

    /** W1 with the rnode channels held as given, in float64. */
    public W1Classify2d(org.neuralode4j.regularize.RegularisedDynamics.ChannelScope channels) {
        this(channels, org.neuralode4j.tensor.DType.F64);
    }

    /** W1 with the rnode channels held as given and the model (parameters and state) in {@code dtype}. */
    public W1Classify2d(org.neuralode4j.regularize.RegularisedDynamics.ChannelScope channels,
                        org.neuralode4j.tensor.DType dtype) {
        this.channels = channels;
        this.dtype = dtype;
    }

    /** The precision of the model, its state and the loss. */
    private final org.neuralode4j.tensor.DType dtype;

    /** The gradient method of a variant name (direct/none, adjoint/none; checkpointed/... gives DIRECT's gradient). */
    public static GradientMethod method(String variant) {
        String m = variant.split("/")[0];
        switch (m) {
            case "direct":
                return new Direct();
            case "adjoint":
                return BacksolveAdjoint.torchdiffeqCompatible();
            case "checkpointed":
                return org.neuralode4j.sensitivity.Checkpointed.defaults();
            default:
                throw new org.neuralode4j.NeuralOdeException("unknown W1 variant '" + variant
                        + "': use direct/none, adjoint/none, direct/rnode, adjoint/rnode (or checkpointed/...)");
        }
    }

    /** Trains one variant for {@code epochs} epochs from seed {@code seed} on one thread. */
    public Result run(String variant, int epochs, long seed, java.util.function.IntConsumer onEpoch) {
        return run(variant, epochs, seed, 1, 0, onEpoch);
    }

    /**
     * Trains one variant with each batch split into {@code shards} data-parallel shards, one per thread
     * ({@link DataParallel}: each shard has its own step control, so NFE is per shard).
     *
     * <p>{@code warmupIterations} untimed iterations of the same variant first train a throwaway model (its own
     * seed, so the timed run is the same as without them). They let the JIT compile the hot code before the clock
     * starts: with every core busy training, the compiler threads starve and the first epochs run interpreted or
     * half-compiled code for seconds.
     */
    public Result run(String variant, int epochs, long seed, int shards, int warmupIterations,
                      java.util.function.IntConsumer onEpoch) {
        warmUp(variant, seed + 1_000_003L, shards, warmupIterations);
        return train(variant, epochs, seed, shards, Integer.MAX_VALUE, onEpoch);
    }

    /**
     * {@code iterations} untimed iterations on a throwaway model. C2 spends several CPU-seconds on this workload,
     * and the last compilations (the training step with the solve inlined: about 0.5 s each) arrive only after
     * hundreds of iterations. With every core training, a compilation takes a core from the timed epochs: a cold
     * 20-epoch run with two threads measured up to 2x slower epochs until epoch 10-15.
     */
    private void warmUp(String variant, long seed, int shards, int iterations) {
        int perEpoch = train.size() / 256;
        for (int done = 0; done < iterations; done += perEpoch) {
            train(variant, 1, seed + done, shards, Math.min(perEpoch, iterations - done), null);
        }
    }

    private Result train(String variant, int epochs, long seed, int shards, int maxIterations,
                         java.util.function.IntConsumer onEpoch) {
        GradientMethod method = method(variant);
        boolean rnode = variant.endsWith("/rnode");
        if (!rnode && !variant.endsWith("/none")) {
            throw new org.neuralode4j.NeuralOdeException("unknown W1 variant '" + variant
                    + "': use direct/none, adjoint/none, direct/rnode or adjoint/rnode");
        }
        // workloads.md §0: λ = 0.01 on ∫‖f‖² and on Hutchinson ∫‖εᵀJ‖², sums over dimensions, channels in step
        // control, Gaussian ε drawn once per iteration.
        List<Regulariser> regs = List.of(new KineticEnergy(0.01, Regulariser.Normalisation.SUM),
                JacobianFrobenius.hutchinson(0.01));
        Rng noise = Rng.seeded(seed + 200);
        AugmentedNodeClassifier model = new AugmentedNodeClassifier(org.neuralode4j.models.ClassifierSpec.w1(), Rng.seeded(seed), dtype);
        Adam adam = new Adam(1e-2);
        Rng order = Rng.seeded(seed + 100);
        List<Parameter> params = model.parameters();
        double[] seconds = new double[epochs];
        double[] nfeF = new double[epochs];
        double[] nfeB = new double[epochs];
        double lastLoss = 0;
        int budget = maxIterations;
        int batch = 256;
        try (DataParallel parallel = new DataParallel(shards)) {
            for (int e = 0; e < epochs; e++) {
                int[] perm = order.permutation(train.size());
                long t0 = System.nanoTime();
                double sumF = 0;
                double sumB = 0;
                double sumBce = 0;
                int iters = 0;
                for (int start = 0; start + batch <= train.size() && budget > 0; start += batch, budget--) {
                    LabelledSet b = train.rows(java.util.Arrays.copyOfRange(perm, start, start + batch));
                    BatchStep.Result r = parallel.step(model, b, SOLVER, method,
                            rows -> rnode ? model.regularised(regs, rows, noise, channels) : null);
                    adam.step(params, r.grads());
                    sumBce += r.dataLoss();
                    sumF += r.nfeForward();
                    sumB += r.nfeBackward();
                    iters++;
                }
                seconds[e] = (System.nanoTime() - t0) / 1e9;
                nfeF[e] = sumF / iters;
                nfeB[e] = sumB / iters;
                lastLoss = sumBce / iters;
                if (onEpoch != null) {
                    onEpoch.accept(e + 1);
                }
            }
        }
        double[] trainEval = evaluate(model, train);
        double[] testEval = evaluate(model, test);
        return new Result(variant, seconds, nfeF, nfeB, trainEval[0], testEval[0], (long) testEval[1], lastLoss, model);
    }

    /** {accuracy, NFE} of one batch solve of the whole set, no gradients. */
    public static double[] evaluate(AugmentedNodeClassifier model, LabelledSet set) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Solution s = model.flow(set.x(), SOLVER, new Direct());
            return new double[] {Accuracy.binary(model.logits(s), set.binaryTargets()), s.stats().nfe()};
        }
    }
}
