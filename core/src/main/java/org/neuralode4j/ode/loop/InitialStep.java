package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.control.ErrorNorm;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * The initial step-size heuristic of Hairer, Nørsett & Wanner §II.4, RMS variant (solvers.md §3.3). Costs one
 * evaluation of f; not differentiated (step sizes never are).
 */
final class InitialStep {
    private InitialStep() {}

    /**
     * @param rows per-sample mode: the samples to size (one h each); null for one batch-wide h
     * @return one h (batch-wide) or one per requested row
     */
    static double[] choose(Field field, double t0, List<Tensor> y0, List<Tensor> f0, int k, StepControl sc,
                           boolean perSample, int batch) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            int[] per = ErrorNorm.perSample(y0);
            double[] d0 = norms(ErrorNorm.sampleSums(y0, y0, null, sc, null), per, perSample, batch, sc);
            double[] d1 = norms(ErrorNorm.sampleSums(f0, y0, null, sc, null), per, perSample, batch, sc);
            int n = d0.length;
            double[] h0 = new double[n];
            for (int i = 0; i < n; i++) {
                h0[i] = d0[i] < 1e-5 || d1[i] < 1e-5 ? 1e-6 : 0.01 * d0[i] / d1[i];
            }
            // One evaluation of f at y0 + h0·f0: with per-sample h0 each row takes its own Euler step.
            List<Tensor> y1 = new ArrayList<>(y0.size());
            for (int c = 0; c < y0.size(); c++) {
                y1.add(Primitives.add(y0.get(c), scaleRows(f0.get(c), h0, perSample)));
            }
            double tEval = perSample ? t0 : t0 + h0[0];
            // Per-sample h0 differ, but f receives one time: the batch is evaluated at t0 + the smallest h0,
            // which keeps the probe inside every sample's first step (only t-dependent fields notice).
            if (perSample) {
                double minH = Double.POSITIVE_INFINITY;
                for (double v : h0) {
                    minH = Math.min(minH, v);
                }
                tEval = t0 + minH;
            }
            List<Tensor> f1 = field.eval(tEval, y1);
            List<Tensor> diff = new ArrayList<>(y0.size());
            for (int c = 0; c < y0.size(); c++) {
                diff.add(Primitives.sub(f1.get(c), f0.get(c)));
            }
            double[] d2raw = norms(ErrorNorm.sampleSums(diff, y0, null, sc, null), per, perSample, batch, sc);
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                double d2 = d2raw[i] / h0[i];
                double h1;
                if (d1[i] <= 1e-15 && d2 <= 1e-15) {
                    h1 = Math.max(1e-6, h0[i] * 1e-3);
                } else {
                    h1 = StrictMath.pow(0.01 / Math.max(d1[i], d2), 1.0 / k);
                }
                h[i] = Math.min(100 * h0[i], h1);
            }
            return h;
        }
    }

    private static Tensor scaleRows(Tensor t, double[] h, boolean perSample) {
        if (!perSample) {
            return Primitives.affine(t, h[0], 0.0);
        }
        int[] dims = new int[t.rank()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = h.length;
        return Primitives.mul(t, Tensor.of(t.dtype(), h, dims));
    }

    private static double[] norms(double[][] sums, int[] per, boolean perSample, int batch, StepControl sc) {
        if (perSample) {
            return ErrorNorm.perSampleRms(sums, per, batch);
        }
        double r = sc.batchNorm() == StepControl.BatchNorm.MAX_OVER_SAMPLES
                ? ErrorNorm.maxOverSamples(sums, per, batch) : ErrorNorm.batchRms(sums, per);
        return new double[] {r};
    }
}
