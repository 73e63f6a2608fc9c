package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.cnf.CnfFixtures.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchStream;
import org.neuralode4j.train.DensityIteration;
import org.neuralode4j.train.DensityTrainConfig;
import org.neuralode4j.train.DensityTrainer;
import org.neuralode4j.train.TrainingException;

/**
 * Density training end to end (cnf.md §6.6, issue 8 acceptance 3, reduced): an RNODE-style flow trained on
 * 8gaussians gets within 0.15 nats of the exact mixture's NLL on 5000 fresh points; plus the trainer's plumbing.
 */
class DensityTrainingTest {
    @Test
    void eightGaussiansReachesTheTrueNll() {
        // T = 1, exact trace with RNODE's channels (RNODE_MEAN, λ = 0.01, exact ‖J‖²_F from the trace's rows),
        // trained with DIRECT through RK4 (4 steps) — the channels keep the field smooth enough for so few
        // steps — and evaluated with the W2 dopri5 at 1e-5. 400 iterations of 128; the full-size run is in the
        // issue report (batch 256, 8 steps: within 0.05 nats after 500 iterations).
        ContinuousFlow flow = ContinuousFlow.build(CnfSpec.rnode2d(), Rng.seeded(0));
        CnfSolve solve = new CnfSolve(rk4(4), new Direct(), Divergence.exact(), RnodeChannels.rnode(), false);
        DensityTrainConfig cfg = new DensityTrainConfig(400, 128, 5e-3, 0, 0, 0, solve);
        List<DensityIteration> log = DensityTrainer.train(flow, BatchStream.toy("8gaussians", 0), cfg, null);
        assertEquals(400, log.size());
        Tensor eval = Toys2d.sample("8gaussians", 5000, 12345);
        double truth = ToyDensities.eightGaussiansNll(eval);
        DensityEvaluation ev = flow.evaluate(eval, CnfSolve.w2Solver(), Rng.seeded(1));
        System.out.printf("cnf 8gaussians: NLL %.4f vs true %.4f (gap %.4f), eval NFE %d, first/last train NLL %.3f/%.3f%n",
                ev.meanNll(), truth, ev.meanNll() - truth, ev.nfe(), log.get(0).nll(), log.get(399).nll());
        assertEquals("exact", ev.estimator());
        assertTrue(ev.meanNll() - truth <= 0.15, "gap " + (ev.meanNll() - truth));
        assertTrue(ev.meanNll() - truth > -3 * ev.standardError(), "a model cannot beat the true density by much");
        DensityIteration last = log.get(399);
        assertTrue(last.kinetic() > 0 && last.jacobian() > 0 && last.nfeForward() == 16 && last.nfeBackward() == 0);
    }

    @Test
    void aNonFiniteLossNamesTheIteration() {
        // A base density that turns NaN from the third batch on (its input rows are marked by a huge value).
        BaseDistribution normal = BaseDistribution.standardNormal();
        BaseDistribution broken = new BaseDistribution() {
            @Override
            public Tensor logDensity(Tensor z) {
                Tensor lp = normal.logDensity(z);
                return Math.abs(z.getFlat(0)) > 1e3 ? Ops.mul(lp, Double.NaN) : lp;
            }

            @Override
            public Tensor sample(Rng rng, int n, int dim) {
                return normal.sample(rng, n, dim);
            }
        };
        ContinuousFlow flow = new ContinuousFlow(2, linearFlow(new double[][] {{-0.1, 0}, {0, 0.1}}, EndTime.fixed(1)).blocks(),
                broken);
        int[] calls = {0};
        BatchStream data = n -> {
            Tensor x = Rng.seeded(calls[0]).normal(n, 2);
            return ++calls[0] < 3 ? x : Ops.add(x, Tensor.of(new double[] {1e4, 0}, 1, 2));
        };
        DensityTrainConfig cfg = new DensityTrainConfig(5, 4, 1e-2, 0, 0, 0, CnfSolve.of(rk4(2), new Direct()));
        TrainingException e = assertThrows(TrainingException.class, () -> DensityTrainer.train(flow, data, cfg, null));
        assertTrue(e.getMessage().contains("iteration 3") && e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void streamsAreSeededAndWarmUpRampsTheRate() {
        BatchStream a = BatchStream.toy("8gaussians", 5);
        BatchStream b = BatchStream.toy("8gaussians", 5);
        Tensor a1 = a.next(16);
        assertArrayEquals(a1.toArray(), b.next(16).toArray());
        assertFalse(java.util.Arrays.equals(a1.toArray(), a.next(16).toArray()), "each batch is fresh");
        assertThrows(org.neuralode4j.data.DataException.class, () -> BatchStream.toy("nine-gaussians", 0));
        Tensor fixed = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 6, 1);
        BatchStream s = BatchStream.shuffled(fixed, 1);
        double sum = 0;
        for (double v : s.next(3).toArray()) {
            sum += v;
        }
        for (double v : s.next(3).toArray()) {
            sum += v;
        }
        assertEquals(21, sum, 0, "one epoch visits every row once");
        // Warm-up: the first iteration of 4 uses lr/4, so its update of a linear field is a quarter of a full step.
        ContinuousFlow one = linearFlow(new double[][] {{0, 0}, {0, 0}}, EndTime.fixed(1));
        ContinuousFlow two = linearFlow(new double[][] {{0, 0}, {0, 0}}, EndTime.fixed(1));
        DensityTrainConfig base = new DensityTrainConfig(1, 8, 0.1, 0, 0, 0, CnfSolve.of(rk4(2), new Direct()));
        DensityTrainer.train(one, BatchStream.toy("moons", 1), base, null);
        DensityTrainer.train(two, BatchStream.toy("moons", 1), base.withWarmup(4), null);
        double full = one.parameters().get(0).value().getFlat(0);
        double quarter = two.parameters().get(0).value().getFlat(0);
        assertEquals(full / 4, quarter, 1e-12);
        assertNotEquals(0.0, full);
    }
}
