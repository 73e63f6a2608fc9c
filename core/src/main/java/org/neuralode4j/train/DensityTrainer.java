package org.neuralode4j.train;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.AutodiffException;
import org.neuralode4j.autodiff.Autograd;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.cnf.ContinuousFlow;
import org.neuralode4j.cnf.FlowResult;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Maximum-likelihood training of a continuous normalising flow (FFJORD; RNODE's regularised loss, cnf.md §3.2)
 * with Adam: one fresh batch per iteration, loss = mean NLL + λ_K·mean E + λ_J·mean N, per-iteration metrics.
 * A non-finite loss or a failed solve stops training with the iteration and a hint.
 */
public final class DensityTrainer {
    /** Called after every iteration (progress bars, metric files, early stopping by throwing). */
    @FunctionalInterface
    public interface Listener {
        void onIteration(DensityIteration metrics);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private DensityTrainer() {}

    /** CPU time of this thread in ns, or −1 when unsupported. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Trains with a new Adam optimiser; see {@link #train(ContinuousFlow, BatchStream, DensityTrainConfig, Adam, Listener)}. */
    public static List<DensityIteration> train(ContinuousFlow flow, BatchStream data, DensityTrainConfig cfg, Listener listener) {
        return train(flow, data, cfg, new Adam(cfg.lr(), Adam.Config.DEFAULT.withWeightDecay(cfg.weightDecay())), listener);
    }

    /**
     * Runs {@code cfg.iterations()} iterations on {@code flow} (updated in place) with the given optimiser, whose
     * learning rate is set each iteration from the warm-up schedule.
     *
     * @throws TrainingException when the loss is not finite, a solve fails or a backward pass meets NaN, naming the
     *                           iteration
     */
    public static List<DensityIteration> train(ContinuousFlow flow, BatchStream data, DensityTrainConfig cfg, Adam adam,
                                               Listener listener) {
        Rng noise = Rng.seeded(cfg.seed() + 200);
        List<DensityIteration> out = new ArrayList<>(cfg.iterations());
        for (int it = 1; it <= cfg.iterations(); it++) {
            Tensor x = data.next(cfg.batch());
            if (cfg.warmupIterations() > 0) {
                adam.setLearningRate(cfg.lr() * Math.min((double) it / cfg.warmupIterations(), 1.0));
            }
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            FlowResult r;
            double nll;
            double value;
            List<Tensor> grads;
            try {
                r = flow.forward(x, cfg.solve(), noise);
                Tensor nllTensor = r.nll();
                Tensor penalty = r.penalty();
                Tensor loss = penalty == null ? nllTensor : Ops.add(nllTensor, penalty);
                nll = nllTensor.item();
                value = loss.item();
                if (!Double.isFinite(value)) {
                    throw new TrainingException("the loss became " + value + " at iteration " + it + " (NLL " + nll
                            + "): lower the learning rate (--lr), add warm-up, or tighten the solver tolerances"
                            + " (--rtol/--atol)");
                }
                grads = Autograd.grad(loss, flow.parameterTensors());
            } catch (SolveException | AutodiffException e) {
                TrainingException t = new TrainingException("iteration " + it + ": " + e.getMessage()
                        + " (lower the learning rate or tighten the tolerances)");
                t.initCause(e);
                throw t;
            }
            adam.step(flow.parameters(), grads);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long c1 = cpuNanos();
            double cpu = c0 < 0 || c1 < 0 ? Double.NaN : (c1 - c0) / 1e9;
            DensityIteration m = new DensityIteration(it, nll, value, r.meanKinetic(), r.meanJacobian(),
                    r.nfeForward(), r.nfeBackward(), seconds, cpu, flow.endTimes(), r.memoryBytes());
            out.add(m);
            if (listener != null) {
                listener.onIteration(m);
            }
        }
        return out;
    }
}
