package org.neuralode4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.models.OdeClassifier;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.RegularisedDynamics;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * Data-parallel training steps: a batch's rows are cut into contiguous shards, and each shard is solved and
 * differentiated on its own thread, as the replicas of PyTorch's DistributedDataParallel do. Each shard therefore
 * has its own step-size control (its NFE may differ from a whole-batch solve); the gradient of the batch's mean
 * loss is recovered exactly as the size-weighted sum of the shards' mean-loss gradients.
 *
 * <p>Why shards and not threads inside each op: W1's products are 256×64×64, far below the size at which a
 * GEMM repays waking a second thread, while a whole solve per thread shares nothing but the read-only weights.
 */
public final class DataParallel implements AutoCloseable {
    private final int shards;
    private final ExecutorService pool;

    /**
     * {@code shards} ≥ 1 shards. With more than one, every shard runs on a daemon thread of its own and the
     * calling thread only waits. Running shard 0 on the calling thread measured up to 1.4× slower per epoch in
     * some runs: C2 then compiled the whole solve and backward pass inlined into the caller's loop, as one very
     * large method whose code came out slower than the same solve compiled on its own, which the pool threads
     * ran.
     */
    public DataParallel(int shards) {
        if (shards < 1) {
            throw new NeuralOdeException("data-parallel shards must be >= 1, got " + shards);
        }
        this.shards = shards;
        this.pool = shards == 1 ? null : Executors.newFixedThreadPool(shards, r -> {
            Thread t = new Thread(r, "neuralode4j-shard");
            t.setDaemon(true);
            return t;
        });
    }

    public int shards() {
        return shards;
    }

    /** Start offsets of {@code parts} contiguous, near-equal ranges covering [0, n), plus n at the end. */
    static int[] bounds(int n, int parts) {
        int[] b = new int[parts + 1];
        for (int k = 0; k <= parts; k++) {
            b[k] = (int) ((long) n * k / parts);
        }
        return b;
    }

    /**
     * One training step over {@code batch}. {@code regularised} makes the regularised field of a shard of the given
     * size (or returns null without regularisers); it is called on this thread, shard by shard in row order, so
     * noise draws are reproducible.
     */
    public BatchStep.Result step(OdeClassifier model, LabelledSet batch, SolverConfig solver,
                                 GradientMethod method, IntFunction<RegularisedDynamics> regularised) {
        int parts = Math.min(shards, batch.size());
        if (parts == 1) {
            return BatchStep.run(model, batch, solver, method, regularised.apply(batch.size()));
        }
        int[] b = bounds(batch.size(), parts);
        LabelledSet[] sets = new LabelledSet[parts];
        RegularisedDynamics[] rds = new RegularisedDynamics[parts];
        for (int k = 0; k < parts; k++) {
            int[] idx = new int[b[k + 1] - b[k]];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = b[k] + i;
            }
            sets[k] = batch.rows(idx);
            rds[k] = regularised.apply(idx.length);
        }
        List<Future<BatchStep.Result>> futures = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            int kk = k;
            futures.add(pool.submit(() -> BatchStep.run(model, sets[kk], solver, method, rds[kk])));
        }
        BatchStep.Result[] results = new BatchStep.Result[parts];
        try {
            for (int k = 0; k < parts; k++) {
                results[k] = futures.get(k).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("training interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new NeuralOdeException("a data-parallel shard failed: " + c, c);
        }
        double[] w = new double[parts];
        for (int k = 0; k < parts; k++) {
            w[k] = (b[k + 1] - b[k]) / (double) batch.size();
        }
        return combine(results, w);
    }

    /** Size-weighted means of losses and gradients; predictions in row order; NFE the mean over shards, rounded. */
    static BatchStep.Result combine(BatchStep.Result[] r, double[] w) {
        double loss = 0;
        double dataLoss = 0;
        double[] regs = new double[r[0].regularisers().length];
        boolean finite = true;
        long nfeF = 0;
        long nfeB = 0;
        int rows = 0;
        for (int k = 0; k < r.length; k++) {
            loss += w[k] * r[k].loss();
            dataLoss += w[k] * r[k].dataLoss();
            for (int j = 0; j < regs.length; j++) {
                regs[j] += w[k] * r[k].regularisers()[j];
            }
            finite &= !r[k].grads().isEmpty();
            nfeF += r[k].nfeForward();
            nfeB += r[k].nfeBackward();
            rows += r[k].predictions().length;
        }
        int[] pred = new int[rows];
        int at = 0;
        for (BatchStep.Result x : r) {
            System.arraycopy(x.predictions(), 0, pred, at, x.predictions().length);
            at += x.predictions().length;
        }
        List<Tensor> grads = new ArrayList<>();
        if (finite) {
            int p = r[0].grads().size();
            Tensor[] terms = new Tensor[r.length];
            for (int i = 0; i < p; i++) {
                for (int k = 0; k < r.length; k++) {
                    terms[k] = r[k].grads().get(i);
                }
                grads.add(Primitives.linearCombination(w, terms));
            }
        } else {
            loss = Double.NaN; // one shard's loss was not finite: the caller stops with its epoch and a hint
        }
        return new BatchStep.Result(loss, dataLoss, regs, grads, pred, Math.round(nfeF / (double) r.length),
                Math.round(nfeB / (double) r.length));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
