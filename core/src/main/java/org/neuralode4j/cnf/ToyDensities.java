package org.neuralode4j.cnf;

import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Exact log-densities of 2-D density toys, the oracles against which a trained flow's NLL is compared
 * (cnf.md §6.6, datasets.md §1).
 */
public final class ToyDensities {
    private ToyDensities() {}

    /** FFJORD's divisor (the literal 1.414, not √2). */
    private static final double SCALE = 1.414;

    /**
     * log p(x) of 8gaussians (datasets.md §1.1): an equal mixture of 8 isotropic Gaussians with centres
     * 4·d_k/1.414 for the 8 unit directions d_k and standard deviation s = 0.5/1.414:
     * <pre>  log p(x) = logsumexp_k(−‖x − c_k‖²/(2s²)) − ln 8 − ln(2πs²)</pre>
     *
     * @param x points [n, 2]
     * @return log p per point
     */
    public static double[] eightGaussians(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2) {
            throw ConfigException.of("points", x.shape(), "8gaussians densities need [n, 2]");
        }
        double h = 1.0 / Math.sqrt(2.0);
        double[][] d = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {h, h}, {h, -h}, {-h, h}, {-h, -h}};
        double s = 0.5 / SCALE;
        double twoS2 = 2 * s * s;
        double constant = -Math.log(8) - Math.log(2 * Math.PI * s * s);
        int n = x.dim(0);
        double[] out = new double[n];
        double[] e = new double[8];
        for (int i = 0; i < n; i++) {
            double x0 = x.getFlat(2 * i);
            double x1 = x.getFlat(2 * i + 1);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 8; k++) {
                double a = x0 - 4 * d[k][0] / SCALE;
                double b = x1 - 4 * d[k][1] / SCALE;
                e[k] = -(a * a + b * b) / twoS2;
                max = Math.max(max, e[k]);
            }
            double sum = 0;
            for (int k = 0; k < 8; k++) {
                sum += Math.exp(e[k] - max);
            }
            out[i] = max + Math.log(sum) + constant;
        }
        return out;
    }

    /** The mean of −log p over the points: the true NLL of a sample of 8gaussians. */
    public static double eightGaussiansNll(Tensor x) {
        double[] lp = eightGaussians(x);
        double s = 0;
        for (double v : lp) {
            s -= v;
        }
        return s / lp.length;
    }
}
