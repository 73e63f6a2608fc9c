package org.neuralode4j.ode.control;

import java.util.List;
import org.neuralode4j.tensor.Tensor;

/**
 * The error ratio of an attempted step (solvers.md §3.1–3.2): per element q = err / (atol + rtol·max(|y|, |y_new|)),
 * RMS over the counted elements of each component, max over components. Masked (seminorm) components are left
 * out of both the sum and the count.
 *
 * <p>One pass computes per-sample sums, from which the three scopes follow: RMS over the whole batch
 * (torchdiffeq), max over samples, and one ratio per sample (per-sample control).
 */
public final class ErrorNorm {
    private ErrorNorm() {}

    /**
     * Per component and sample, Σ q² over that sample's elements: sums[c][b]. Also used with {@code yNew = null}
     * for the initial-step norms, where the scale uses y only.
     *
     * @param err  per component [B, ...] (values are read, nothing recorded)
     * @param rows which samples to include (null = all, in order): sums[c][i] is for rows[i]
     */
    public static double[][] sampleSums(List<Tensor> err, List<Tensor> y, List<Tensor> yNew, Tolerances tol, int[] rows) {
        int comps = err.size();
        double[][] sums = new double[comps][];
        for (int c = 0; c < comps; c++) {
            if (!tol.counts(c)) {
                continue;
            }
            Tensor e = err.get(c);
            Tensor y0 = y.get(c);
            Tensor y1 = yNew == null ? null : yNew.get(c);
            int batch = e.dim(0);
            int per = batch == 0 ? 0 : e.size() / batch;
            double rtol = tol.rtolOf(c);
            double atol = tol.atolOf(c);
            int n = rows == null ? batch : rows.length;
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                int b = rows == null ? i : rows[i];
                int base = b * per;
                double acc = 0;
                for (int j = base; j < base + per; j++) {
                    double mag = Math.abs(y0.getFlat(j));
                    if (y1 != null) {
                        mag = Math.max(mag, Math.abs(y1.getFlat(j)));
                    }
                    double q = e.getFlat(j) / (atol + rtol * mag);
                    acc += q * q;
                }
                s[i] = acc;
            }
            sums[c] = s;
        }
        return sums;
    }

    /** Elements per sample of each component (the RMS denominators). */
    public static int[] perSample(List<Tensor> err) {
        int[] n = new int[err.size()];
        for (int c = 0; c < n.length; c++) {
            int batch = err.get(c).dim(0);
            n[c] = batch == 0 ? 0 : err.get(c).size() / batch;
        }
        return n;
    }

    /** RMS over the whole batch per component, max over counted components. */
    public static double batchRms(double[][] sums, int[] perSample) {
        double r = 0;
        for (int c = 0; c < sums.length; c++) {
            if (sums[c] == null || perSample[c] == 0) {
                continue;
            }
            double s = 0;
            for (double v : sums[c]) {
                s += v;
            }
            r = Math.max(r, Math.sqrt(s / ((double) perSample[c] * sums[c].length)));
        }
        return r;
    }

    /** One ratio per sample (max over counted components of that sample's RMS). */
    public static double[] perSampleRms(double[][] sums, int[] perSample, int samples) {
        double[] r = new double[samples];
        for (int c = 0; c < sums.length; c++) {
            if (sums[c] == null || perSample[c] == 0) {
                continue;
            }
            // Components with another leading size (parameter adjoints [1, P]) count towards their own rows only.
            for (int b = 0; b < Math.min(samples, sums[c].length); b++) {
                r[b] = Math.max(r[b], Math.sqrt(sums[c][b] / perSample[c]));
            }
        }
        return r;
    }

    /** Max over samples of the per-sample ratios. */
    public static double maxOverSamples(double[][] sums, int[] perSample, int samples) {
        double r = 0;
        for (double v : perSampleRms(sums, perSample, samples)) {
            r = Math.max(r, v);
        }
        return r;
    }

    /**
     * DOP853's combined estimate (solvers.md §1.2): per component r = |h|·S5 / sqrt(S5 + 0.01·S3), with S5, S3
     * the mean squares of the two scaled estimates (no h inside), 0 when both vanish; max over components.
     * Batch scope: means over the whole batch.
     */
    public static double dop853Batch(double h, double[][] sums5, double[][] sums3, int[] perSample) {
        double r = 0;
        for (int c = 0; c < sums5.length; c++) {
            if (sums5[c] == null || perSample[c] == 0) {
                continue;
            }
            double n = (double) perSample[c] * sums5[c].length;
            double s5 = 0;
            double s3 = 0;
            for (int b = 0; b < sums5[c].length; b++) {
                s5 += sums5[c][b];
                s3 += sums3[c][b];
            }
            r = Math.max(r, dop853(h, s5 / n, s3 / n));
        }
        return r;
    }

    /** DOP853's estimate per sample. */
    public static double[] dop853PerSample(double h, double[][] sums5, double[][] sums3, int[] perSample, int samples) {
        double[] r = new double[samples];
        for (int c = 0; c < sums5.length; c++) {
            if (sums5[c] == null || perSample[c] == 0) {
                continue;
            }
            for (int b = 0; b < Math.min(samples, sums5[c].length); b++) {
                r[b] = Math.max(r[b], dop853(h, sums5[c][b] / perSample[c], sums3[c][b] / perSample[c]));
            }
        }
        return r;
    }

    static double dop853(double h, double s5, double s3) {
        if (s5 == 0 && s3 == 0) {
            return 0;
        }
        return Math.abs(h) * s5 / Math.sqrt(s5 + 0.01 * s3);
    }
}
