package org.neuralode4j.bench.workloads;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.DensityEvaluation;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.cnf.ToyDensities;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchStream;
import org.neuralode4j.train.DensityIteration;
import org.neuralode4j.train.DensityTrainConfig;
import org.neuralode4j.train.DensityTrainer;

/**
 * W2 (workloads.md §2): an FFJORD continuous normalising flow on 8gaussians. ConcatSquash 2 → 64 → 64 → 64 → 2
 * (tanh), T = 0.5 fixed, a fresh batch of 512 per iteration from one stream seeded with the seed, Adam lr 1e-3,
 * torchdiffeq-compatible dopri5 at rtol = atol = 1e-5 with every state component in step control,
 * BACKSOLVE_ADJOINT in its compatible configuration. Variants: divergence exact|hutch × regulariser none|rnode
 * (kinetic + Hutchinson Jacobian, λ = 0.01 each, SUM; with the exact trace the Jacobian channel has its own ε).
 * Evaluation: the exact NLL of 5000 points drawn once with seed + 1, DIRECT without gradients, one batch.
 */
public final class W2Cnf2d {
    /** The four reference variants. */
    public static final List<String> VARIANTS = List.of("exact/none", "exact/rnode", "hutch/none", "hutch/rnode");

    /** Results of one variant. */
    public record Result(String name, double[] seconds, double[] cpuSeconds, long[] nfeForward, long[] nfeBackward, double[] trainNll,
                         double[] kinetic, double[] jacobian, double initNll, double finalNll, long evalNfe, double trueNll) {
        public double medianSecondsPerIter() {
            return median(seconds);
        }

        /** Median CPU seconds of the training thread per iteration (robust to other load on the machine). */
        public double medianCpuSecondsPerIter() {
            return median(cpuSeconds);
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        public double meanSecondsPerIter() {
            return mean(seconds, 0);
        }

        /** Mean forward NFE over all iterations. */
        public double nfeForwardMean() {
            return mean(nfeForward, 0);
        }

        public double nfeBackwardMean() {
            return mean(nfeBackward, 0);
        }

        /** Mean over the last {@code k} iterations (all when fewer). */
        public double nfeForwardLast(int k) {
            return mean(nfeForward, Math.max(0, nfeForward.length - k));
        }

        public double nfeBackwardLast(int k) {
            return mean(nfeBackward, Math.max(0, nfeBackward.length - k));
        }

        public double trainNllLast(int k) {
            return mean(trainNll, Math.max(0, trainNll.length - k));
        }

        public double kineticLast(int k) {
            return mean(kinetic, Math.max(0, kinetic.length - k));
        }

        public double jacobianLast(int k) {
            return mean(jacobian, Math.max(0, jacobian.length - k));
        }

        /** Window means of forward NFE over consecutive windows of {@code w} iterations. */
        public double[] nfeForwardWindows(int w) {
            return windows(nfeForward, w);
        }

        public double[] nfeBackwardWindows(int w) {
            return windows(nfeBackward, w);
        }

        public double[] trainNllWindows(int w) {
            double[] out = new double[(trainNll.length + w - 1) / w];
            for (int i = 0; i < out.length; i++) {
                out[i] = meanRange(trainNll, i * w, Math.min(trainNll.length, (i + 1) * w));
            }
            return out;
        }

        private static double[] windows(long[] v, int w) {
            double[] out = new double[(v.length + w - 1) / w];
            for (int i = 0; i < out.length; i++) {
                double s = 0;
                int end = Math.min(v.length, (i + 1) * w);
                for (int j = i * w; j < end; j++) {
                    s += v[j];
                }
                out[i] = s / (end - i * w);
            }
            return out;
        }

        private static double mean(long[] v, int from) {
            double s = 0;
            for (int i = from; i < v.length; i++) {
                s += v[i];
            }
            return v.length - from == 0 ? Double.NaN : s / (v.length - from);
        }

        private static double mean(double[] v, int from) {
            return meanRange(v, from, v.length);
        }

        private static double meanRange(double[] v, int from, int to) {
            double s = 0;
            for (int i = from; i < to; i++) {
                s += v[i];
            }
            return to - from == 0 ? Double.NaN : s / (to - from);
        }
    }

    /** W2's solver, in training and evaluation. */
    public static final SolverConfig SOLVER = CnfSolve.w2Solver();

    /** The precision of the flow's parameters and state. */
    private final org.neuralode4j.tensor.DType dtype;

    /** W2 in float64. */
    public W2Cnf2d() {
        this(org.neuralode4j.tensor.DType.F64);
    }

    /** W2 with the flow in {@code dtype}. */
    public W2Cnf2d(org.neuralode4j.tensor.DType dtype) {
        this.dtype = dtype;
    }

    private static NeuralOdeException unknown(String variant) {
        return new NeuralOdeException("unknown W2 variant '" + variant + "': use " + String.join(", ", VARIANTS));
    }

    /** The divergence of a variant name (exact/…, hutch/…). */
    public static Divergence divergence(String variant) {
        String[] p = variant.split("/");
        if (p.length != 2) {
            throw unknown(variant);
        }
        return switch (p[0]) {
            case "exact" -> Divergence.exact();
            case "hutch" -> Divergence.hutchinson();
            default -> throw unknown(variant);
        };
    }

    /** The channels of a variant name (…/none, …/rnode). */
    public static RnodeChannels channels(String variant) {
        String[] p = variant.split("/");
        if (p.length != 2) {
            throw unknown(variant);
        }
        return switch (p[1]) {
            case "none" -> RnodeChannels.none();
            case "rnode" -> RnodeChannels.w2();
            default -> throw unknown(variant);
        };
    }

    /** The gradient method of a name: adjoint (the reference's, torchdiffeq-compatible), direct or checkpointed (supplementary). */
    public static GradientMethod method(String name) {
        return switch (name) {
            case "adjoint" -> BacksolveAdjoint.torchdiffeqCompatible();
            case "direct" -> new Direct();
            case "checkpointed" -> org.neuralode4j.sensitivity.Checkpointed.defaults();
            default -> throw new NeuralOdeException("unknown gradient method '" + name + "': use adjoint, direct or checkpointed");
        };
    }

    /**
     * Trains one variant for {@code iters} iterations from {@code seed} (model init seed, batch stream seed, probes
     * seed + 200, evaluation set seed + 1) and evaluates it before and after.
     */
    public Result run(String variant, int iters, long seed, String methodName, IntConsumer onIteration) {
        return run(variant, iters, seed, methodName, true, onIteration);
    }

    /** As above; {@code closedForm = false} evaluates the field by autodiff (the reference path, for comparison). */
    public Result run(String variant, int iters, long seed, String methodName, boolean closedForm, IntConsumer onIteration) {
        Divergence div = divergence(variant);
        RnodeChannels ch = channels(variant);
        GradientMethod method = method(methodName);
        Tensor eval = Toys2d.sample("8gaussians", 5000, seed + 1);
        double trueNll = ToyDensities.eightGaussiansNll(eval);
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.w2(), Rng.seeded(seed), closedForm);
        flow.to(dtype);
        double init = flow.evaluate(eval, SOLVER, Rng.seeded(seed + 300)).meanNll();
        DensityTrainConfig cfg = DensityTrainConfig.w2(div, ch, seed).withIterations(iters)
                .withSolve(CnfSolve.w2(div, ch).withMethod(method));
        List<DensityIteration> log = DensityTrainer.train(flow, BatchStream.toy("8gaussians", seed), cfg,
                m -> {
                    if (onIteration != null) {
                        onIteration.accept(m.iteration());
                    }
                });
        DensityEvaluation fin = flow.evaluate(eval, SOLVER, Rng.seeded(seed + 300));
        int n = log.size();
        double[] sec = new double[n];
        double[] cpu = new double[n];
        long[] f = new long[n];
        long[] b = new long[n];
        double[] nll = new double[n];
        double[] ke = new double[n];
        double[] jf = new double[n];
        for (int i = 0; i < n; i++) {
            DensityIteration m = log.get(i);
            sec[i] = m.seconds();
            cpu[i] = m.cpuSeconds();
            f[i] = m.nfeForward();
            b[i] = m.nfeBackward();
            nll[i] = m.nll();
            ke[i] = m.kinetic();
            jf[i] = m.jacobian();
        }
        return new Result(variant, sec, cpu, f, b, nll, ke, jf, init, fin.meanNll(), fin.nfe(), trueNll);
    }
}
