package org.neuralode4j.cnf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.testkit.MlpField;

/**
 * solvers.md §3.6, torchode semantics: under per-sample control a sample's initial step, its whole step
 * sequence and its result do not depend on the other samples of its batch. Each sample is solved alone and
 * inside two different batches (the full batch, and a reversed half of it); its attempts, accepted and rejected
 * steps, evaluations, first step and final state must agree exactly.
 */
class PerSampleIndependenceTest {
    private static final int N = 24;

    private static SolverConfig perSample(double tol) {
        return SolverConfig.adaptive(Dopri5.TABLEAU, StepControl.of(tol, tol)).withBatchMode(BatchMode.PER_SAMPLE);
    }

    /** A time-dependent CNF field (ConcatSquash tanh, exact trace): the probe time matters. */
    @Test
    void cnfSamplesTakeTheStepsTheyTakeAlone() {
        ContinuousFlow flow = CnfFixtures.concatSquash(2, List.of(32, 32), EndTime.fixed(1.0), 17);
        FlowField field = flow.blocks().get(0).field();
        Tensor x = Rng.seeded(3).normal(0, 1.5, N, 2);
        assertIndependent(rows -> new CnfDynamics(field, EndTime.fixed(1.0), null, Divergence.exact(), RnodeChannels.none(),
                rows, 2, Rng.seeded(0), 1), z -> List.of(z, Tensor.zeros(z.dim(0), 1)), x, 1e-5);
    }

    /**
     * Hutchinson trace and RNODE channels: probe noise is drawn for the whole batch, and each running sample keeps
     * its own rows of it. Row 2 with other companions (same noise) gives bit-identical results.
     */
    @Test
    void hutchinsonAndRnodeChannelsKeepEachSamplesProbes() {
        ContinuousFlow flow = CnfFixtures.concatSquash(2, List.of(32, 32), EndTime.fixed(1.0), 17);
        FlowField field = flow.blocks().get(0).field();
        double[] v = Rng.seeded(5).normal(0.0, 1.0, 8, 2).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 1 + 3 * (i / 2 % 4);
        }
        double[] w = v.clone();
        for (int i = 0; i < w.length; i++) {
            if (i / 2 != 2) {
                w[i] = 3 * w[i] - 1;
            }
        }
        Solution[] out = new Solution[2];
        for (int k = 0; k < 2; k++) {
            Tensor z = Tensor.of(k == 0 ? v : w, 8, 2);
            CnfDynamics dyn = new CnfDynamics(field, EndTime.fixed(1.0), null, Divergence.hutchinson(), RnodeChannels.rnode(),
                    8, 2, Rng.seeded(0), 1);
            List<Tensor> y0 = List.of(z, Tensor.zeros(8, 1), Tensor.zeros(8, 1), Tensor.zeros(8, 1));
            out[k] = Ode.solve(dyn, y0, new double[] {0, 1}, perSample(1e-9));
        }
        int[] att = out[0].stats().sampleAttempts();
        assertNotEquals(java.util.Arrays.stream(att).min().getAsInt(), java.util.Arrays.stream(att).max().getAsInt());
        for (int c = 0; c < 4; c++) {
            int per = out[0].last(c).size() / 8;
            for (int e = 0; e < per; e++) {
                assertEquals(out[0].last(c).getFlat(2 * per + e), out[1].last(c).getFlat(2 * per + e), 0.0, "component " + c);
            }
        }
    }

    /** The same in a values-only solve (the closed form's values-only path, scratch arrays reused). */
    @Test
    void cnfSamplesTakeTheStepsTheyTakeAloneInValuesOnlySolves() {
        try (org.neuralode4j.autodiff.GradMode.Scope ignored = org.neuralode4j.autodiff.GradMode.noGrad()) {
            cnfSamplesTakeTheStepsTheyTakeAlone();
        }
    }

    /**
     * The closed form with a time per row (one call) against the closed form at one time per call (rows grouped
     * by time, the recorded path): exact trace with both RNODE channels, and Hutchinson with both channels.
     */
    @Test
    void perRowTimeClosedFormMatchesOneTimePerCall() {
        ContinuousFlow flow = CnfFixtures.concatSquash(2, List.of(32, 32), EndTime.fixed(1.0), 21);
        FlowField field = flow.blocks().get(0).field();
        Tensor z = Rng.seeded(7).normal(0, 1.5, 10, 2);
        double[] t = new double[10];
        for (int r = 0; r < t.length; r++) {
            t[r] = 0.09 * r + 0.013 * (r % 3);
        }
        int[] samples = {9, 0, 4, 2, 7, 1, 3, 8, 5, 6};
        for (Divergence div : List.of(Divergence.exact(), Divergence.hutchinson())) {
            CnfDynamics dyn = new CnfDynamics(field, EndTime.fixed(1.0), null, div, RnodeChannels.rnode(), 10, 2,
                    Rng.seeded(1), 1);
            assertTrue(dyn.closedForm());
            List<Tensor> y = List.of(z, Tensor.zeros(10, 1), Tensor.zeros(10, 1), Tensor.zeros(10, 1));
            List<Tensor> perRow;
            try (org.neuralode4j.autodiff.GradMode.Scope ignored = org.neuralode4j.autodiff.GradMode.noGrad()) {
                perRow = dyn.applySamples(samples, t, y);
            }
            List<Tensor> grouped = dyn.applySamples(samples, t, y);
            for (int c = 0; c < 4; c++) {
                double[] a = perRow.get(c).toArray();
                double[] b = grouped.get(c).toArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-12 * (1 + Math.abs(b[i])), div.label() + " component " + c + " entry " + i);
                }
            }
        }
    }

    /**
     * The closed form with a time per row, recorded, against the autodiff field at one time per call (rows grouped
     * by time): values and the gradients of a random functional of every output with respect to z and all
     * parameters, with exact trace and with Hutchinson, both RNODE channels.
     */
    @Test
    void perRowTimeClosedFormGradientsMatchAutodiff() {
        ContinuousFlow flow = CnfFixtures.concatSquash(2, List.of(16, 16), EndTime.fixed(1.0), 23);
        FlowField closedField = flow.blocks().get(0).field();
        FlowField autodiffField = FlowField.autodiff(((FlowField.ModuleField) closedField).module());
        double[] t = {0.05, 0.4, 0.4, 0.93, 0.21, 0.67};
        int[] samples = {3, 0, 5, 1, 4, 2};
        Tensor z = Rng.seeded(9).normal(0, 1.2, 6, 2);
        for (Divergence div : List.of(Divergence.exact(), Divergence.hutchinson())) {
            double[][] results = new double[2][];
            int k = 0;
            for (FlowField field : List.of(closedField, autodiffField)) {
                CnfDynamics dyn = new CnfDynamics(field, EndTime.fixed(1.0), null, div, RnodeChannels.rnode(), 6, 2,
                        Rng.seeded(4), 1);
                assertEquals(field == closedField, dyn.closedForm());
                Tensor zr = z.requiringGrad();
                List<Tensor> out = dyn.applySamples(samples, t, List.of(zr, Tensor.zeros(6, 1), Tensor.zeros(6, 1),
                        Tensor.zeros(6, 1)));
                Rng w = Rng.seeded(77);
                Tensor loss = null;
                for (Tensor c : out) {
                    Tensor term = org.neuralode4j.autodiff.ops.Ops.sum(org.neuralode4j.autodiff.ops.Ops.mul(c,
                            w.normal(0.0, 1.0, c.shape().dims())));
                    loss = loss == null ? term : org.neuralode4j.autodiff.ops.Ops.add(loss, term);
                }
                List<Tensor> wrt = new ArrayList<>(List.of(zr));
                wrt.addAll(field.parameterTensors());
                List<Tensor> g = org.neuralode4j.autodiff.Autograd.grad(loss, wrt);
                List<Double> all = new ArrayList<>();
                for (Tensor c : out) {
                    for (double v : c.toArray()) {
                        all.add(v);
                    }
                }
                for (Tensor gi : g) {
                    for (double v : gi.toArray()) {
                        all.add(v);
                    }
                }
                results[k++] = all.stream().mapToDouble(Double::doubleValue).toArray();
            }
            assertEquals(results[1].length, results[0].length);
            for (int i = 0; i < results[0].length; i++) {
                assertEquals(results[1][i], results[0][i], 1e-10 * (1 + Math.abs(results[1][i])), div.label() + " entry " + i);
            }
        }
    }

    /** A W1-like autonomous MLP field. */
    @Test
    void mlpSamplesTakeTheStepsTheyTakeAlone() {
        MlpField f = new MlpField(MlpField.randomParams(2, 32, 11, 0.8), 0.1);
        Tensor x = Rng.seeded(4).normal(0, 2.0, N, 2);
        assertIndependent(rows -> f, z -> List.of(z), x, 1e-6);
    }

    private interface DynamicsFor {
        Dynamics of(int rows);
    }

    private interface StateOf {
        List<Tensor> of(Tensor z);
    }

    private static void assertIndependent(DynamicsFor dyn, StateOf state, Tensor x, double tol) {
        SolverConfig cfg = perSample(tol);
        double[] times = {0, 0.5, 1.0};
        Solution full = Ode.solve(dyn.of(N), state.of(x), times, cfg);
        int[] half = new int[N / 2];
        for (int i = 0; i < half.length; i++) {
            half[i] = N - 1 - 2 * i;
        }
        Tensor xHalf = org.neuralode4j.autodiff.ops.Ops.indexSelect(x, half);
        Solution mixed = Ode.solve(dyn.of(half.length), state.of(xHalf), times, cfg);
        List<String> differing = new ArrayList<>();
        for (int b = 0; b < N; b++) {
            Tensor xb = org.neuralode4j.autodiff.ops.Ops.indexSelect(x, new int[] {b});
            Solution alone = Ode.solve(dyn.of(1), state.of(xb), times, cfg);
            compare("full batch", full, b, alone, differing, b);
            for (int i = 0; i < half.length; i++) {
                if (half[i] == b) {
                    compare("half batch", mixed, i, alone, differing, b);
                }
            }
        }
        assertTrue(differing.isEmpty(), differing.size() + " differences: " + differing);
    }

    private static void compare(String where, Solution batch, int row, Solution alone, List<String> out, int sample) {
        var s = batch.stats();
        var a = alone.stats();
        String prefix = "sample " + sample + " in " + where + ": ";
        if (s.sampleAttempts()[row] != a.sampleAttempts()[0] || s.sampleRejected()[row] != a.sampleRejected()[0]
                || s.sampleAccepted()[row] != a.sampleAccepted()[0] || s.sampleNfe()[row] != a.sampleNfe()[0]) {
            out.add(prefix + "attempts " + s.sampleAttempts()[row] + " vs " + a.sampleAttempts()[0] + " alone, rejected "
                    + s.sampleRejected()[row] + " vs " + a.sampleRejected()[0]);
            return;
        }
        for (int j = 1; j < batch.times().length; j++) {
            for (int c = 0; c < alone.state(j).size(); c++) {
                Tensor mine = batch.state(j).get(c);
                Tensor ref = alone.state(j).get(c);
                int per = ref.size();
                for (int e = 0; e < per; e++) {
                    if (Double.compare(mine.getFlat(row * per + e), ref.getFlat(e)) != 0) {
                        out.add(prefix + "output " + j + " component " + c + " differs: " + mine.getFlat(row * per + e)
                                + " vs " + ref.getFlat(e));
                        return;
                    }
                }
            }
        }
    }
}
