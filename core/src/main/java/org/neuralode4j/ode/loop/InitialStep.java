package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.control.ErrorNorm;
import org.neuralode4j.ode.control.Tolerances;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * The initial step-size heuristic of Hairer, Nørsett & Wanner §II.4, RMS variant (solvers.md §3.3). Costs one
 * evaluation of f; not differentiated (step sizes never are).
 *
 * <p>Per-sample control sizes every row on its own (torchode): each row's norms, its own Euler probe
 * y0 + h0_b·f0 and its own probe time t0 + h0_b, all in one batched call of f with a time per row. A row's
 * first step therefore depends on that row only, never on the other samples of its batch.
 */
final class InitialStep {
    private InitialStep() {}

    /** One h for the whole batch, from norms under the batch's error scope. */
    static double batchWide(Field field, double t0, List<Tensor> y0, List<Tensor> f0, int k, Tolerances tol) {
        return choose(field, t0, y0, f0, k, tol, false)[0];
    }

    /** One h per row of y0. */
    static double[] perSample(Field field, double t0, List<Tensor> y0, List<Tensor> f0, int k, Tolerances tol) {
        return choose(field, t0, y0, f0, k, tol, true);
    }

    private static double[] choose(Field field, double t0, List<Tensor> y0, List<Tensor> f0, int k, Tolerances tol,
                                   boolean perSample) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            int batch = y0.get(0).dim(0);
            int[] per = ErrorNorm.perSample(y0);
            double[] d0 = norms(ErrorNorm.sampleSums(y0, y0, null, tol, null), per, perSample, batch, tol);
            double[] d1 = norms(ErrorNorm.sampleSums(f0, y0, null, tol, null), per, perSample, batch, tol);
            int n = d0.length;
            double[] h0 = new double[n];
            for (int i = 0; i < n; i++) {
                h0[i] = d0[i] < 1e-5 || d1[i] < 1e-5 ? 1e-6 : 0.01 * d0[i] / d1[i];
            }
            List<Tensor> y1 = new ArrayList<>(y0.size());
            for (int c = 0; c < y0.size(); c++) {
                y1.add(Primitives.add(y0.get(c), scaleRows(f0.get(c), h0, perSample)));
            }
            List<Tensor> f1;
            if (perSample) {
                double[] tEval = new double[n];
                for (int i = 0; i < n; i++) {
                    tEval[i] = t0 + h0[i];
                }
                f1 = field.evalRows(tEval, java.util.stream.IntStream.range(0, n).toArray(), y1);
            } else {
                f1 = field.eval(t0 + h0[0], y1);
            }
            List<Tensor> diff = new ArrayList<>(y0.size());
            for (int c = 0; c < y0.size(); c++) {
                diff.add(Primitives.sub(f1.get(c), f0.get(c)));
            }
            double[] d2raw = norms(ErrorNorm.sampleSums(diff, y0, null, tol, null), per, perSample, batch, tol);
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
        Arrays.fill(dims, 1);
        dims[0] = h.length;
        return Primitives.mul(t, Tensor.of(t.dtype(), h, dims));
    }

    private static double[] norms(double[][] sums, int[] per, boolean perSample, int batch, Tolerances tol) {
        if (perSample) {
            return ErrorNorm.perSampleRms(sums, per, batch);
        }
        double r = tol.batchNorm() == Tolerances.BatchNorm.MAX_OVER_SAMPLES
                ? ErrorNorm.maxOverSamples(sums, per, batch) : ErrorNorm.batchRms(sums, per);
        return new double[] {r};
    }
}
