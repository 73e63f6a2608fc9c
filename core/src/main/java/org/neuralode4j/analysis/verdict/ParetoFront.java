package org.neuralode4j.analysis.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole trade-off of a λ grid (the "report the Pareto front"): per configuration the cost (NFE) and
 * quality as seed mean ± sd, and whether the point is on the front, i.e. no other point has a lower-or-equal mean
 * cost and better-or-equal mean quality with one of them strict. Reported whole, so the verdict's choice of
 * configuration can be checked against every alternative.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /** One configuration's per-seed values (NaN entries are failed runs and are left out of the means). */
    public record Input(String label, double[] cost, double[] quality) {}

    public record Point(String label, double costMean, double costSd, double qualityMean, double qualitySd, int seeds,
            boolean onFront) {}

    public static List<Point> of(List<Input> inputs, boolean qualityHigherIsBetter) {
        List<Point> pts = new ArrayList<>();
        for (Input in : inputs) {
            pts.add(new Point(in.label(), FiniteValues.mean(in.cost()), sd(in.cost()), FiniteValues.mean(in.quality()),
                sd(in.quality()), finiteCount(in.quality()), false));
        }
        List<Point> out = new ArrayList<>();
        for (Point p : pts) {
            boolean dominated = false;
            for (Point q : pts) {
                if (q == p) continue;
                double qBetter = qualityHigherIsBetter ? q.qualityMean() - p.qualityMean()
                    : p.qualityMean() - q.qualityMean();
                boolean noWorse = q.costMean() <= p.costMean() && qBetter >= 0;
                boolean strict = q.costMean() < p.costMean() || qBetter > 0;
                if (noWorse && strict) dominated = true;
            }
            boolean finite = Double.isFinite(p.costMean()) && Double.isFinite(p.qualityMean());
            out.add(new Point(p.label(), p.costMean(), p.costSd(), p.qualityMean(), p.qualitySd(), p.seeds(),
                finite && !dominated));
        }
        return out;
    }

    private static int finiteCount(double[] v) {
        int n = 0;
        for (double x : v) if (Double.isFinite(x)) n++;
        return n;
    }

    private static double sd(double[] v) {
        double m = FiniteValues.mean(v);
        double ss = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - m) * (x - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
    }
}
