package org.neuralode4j.cnf;

import java.util.OptionalDouble;
import org.neuralode4j.data.DataException;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * Exact log-densities of the 2-D density toys that have one (8gaussians and checkerboard, datasets.md §1.1, §1.3),
 * and their true NLL (the entropy in nats): the oracles against which a trained flow's NLL is compared (cnf.md §6.6)
 * and the convergence measure of the RNODE study (claims.md §0.1 gate (a)). The other toys (pinwheel, 2spirals, …)
 * have no closed-form density; for them {@link #trueNll} is empty.
 */
public final class ToyDensities {
    private ToyDensities() {}

    /** 8gaussians: centres on radius 4/1.414, std 0.5/1.414 (FFJORD's literal 1.414, not √2). */
    static final double EIGHT_RADIUS = 4 / 1.414;
    static final double EIGHT_STD = 0.5 / 1.414;
    /** Quadrature of the 8gaussians entropy: midpoint rule on [−L, L]², step H (the density is below 1e-40 beyond L). */
    private static final double QUAD_HALF_WIDTH = 6.5;
    private static final double QUAD_STEP = 0.004;

    /**
     * log p(x) of 8gaussians per point of x [n, 2] (datasets.md §1.1).
     */
    public static double[] eightGaussians(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2) {
            throw ConfigException.of("points", x.shape(), "8gaussians densities need [n, 2]");
        }
        double[] out = new double[x.dim(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = eightGaussians(x.getFlat(2 * i), x.getFlat(2 * i + 1));
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

    /** log p(x₁, x₂) of a toy with a closed-form density; {@link DataException} for the others. */
    public static double logDensity(String name, double x1, double x2) {
        return switch (name) {
            case "8gaussians" -> eightGaussians(x1, x2);
            case "checkerboard" -> checkerboard(x1, x2);
            default -> throw new DataException("no closed-form density for the toy \"" + name + "\" (only"
                    + " 8gaussians and checkerboard have one)");
        };
    }

    /** The true NLL E[−log p(x)] in nats, where the toy has a closed-form density. */
    public static OptionalDouble trueNll(String name) {
        return switch (name) {
            case "8gaussians" -> OptionalDouble.of(EightGaussiansEntropy.VALUE);
            case "checkerboard" -> OptionalDouble.of(Math.log(32)); // uniform on 8 cells of area 4
            default -> OptionalDouble.empty();
        };
    }

    /** logsumexp_k(−‖x − c_k‖²/(2s²)) − ln 8 − ln(2πs²). */
    static double eightGaussians(double x1, double x2) {
        double h = Math.sqrt(0.5);
        double[][] d = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {h, h}, {h, -h}, {-h, h}, {-h, -h}};
        double[] e = new double[8];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 8; k++) {
            double u = x1 - EIGHT_RADIUS * d[k][0];
            double v = x2 - EIGHT_RADIUS * d[k][1];
            e[k] = -(u * u + v * v) / (2 * EIGHT_STD * EIGHT_STD);
            max = Math.max(max, e[k]);
        }
        double s = 0;
        for (double ek : e) {
            s += Math.exp(ek - max);
        }
        return max + Math.log(s) - Math.log(8) - Math.log(2 * Math.PI * EIGHT_STD * EIGHT_STD);
    }

    /** 1/32 on the cells of [−4, 4)² where ⌊x₁/2⌋ + ⌊x₂/2⌋ is even, 0 elsewhere. */
    static double checkerboard(double x1, double x2) {
        boolean inside = x1 >= -4 && x1 < 4 && x2 >= -4 && x2 < 4
                && Math.floorMod((long) Math.floor(x1 / 2) + (long) Math.floor(x2 / 2), 2) == 0;
        return inside ? -Math.log(32) : Double.NEGATIVE_INFINITY;
    }

    /** −∫ p log p over a fine grid, computed once on first use (about 10 million density evaluations, ~1 s). */
    private static final class EightGaussiansEntropy {
        static final double VALUE = quadrature();

        static double quadrature() {
            int n = (int) Math.round(2 * QUAD_HALF_WIDTH / QUAD_STEP);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double x1 = -QUAD_HALF_WIDTH + (i + 0.5) * QUAD_STEP;
                for (int j = 0; j < n; j++) {
                    double lp = eightGaussians(x1, -QUAD_HALF_WIDTH + (j + 0.5) * QUAD_STEP);
                    sum -= Math.exp(lp) * lp;
                }
            }
            return sum * QUAD_STEP * QUAD_STEP;
        }
    }
}
