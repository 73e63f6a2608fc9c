package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * z(t) on one interval from stored node values (gradients.md §3.2): the second barycentric formula
 * ẑ(t) = Σ_j c_j Z_j / Σ_j c_j with c_j = w_j / (t − x_j), or the piecewise-linear baseline. Values only.
 */
final class Barycentric {
    private final double[] x;
    private final double[] w;
    private final List<List<Tensor>> values; // [node][component]
    private final boolean linear;

    Barycentric(double[] x, double[] w, List<List<Tensor>> values, boolean linear) {
        this.x = x;
        this.w = w;
        this.values = values;
        this.linear = linear;
    }

    List<Tensor> at(double t) {
        int n = x.length;
        // The backward solve never steps outside the interval, but the initial-step heuristic probes f at
        // t0 + h0, which can lie far beyond it; there the barycentric quotient degenerates (Σ c_j → 0) into
        // Inf/NaN. Outside the nodes, hold the nearest end value.
        double lo = Math.min(x[0], x[n - 1]);
        double hi = Math.max(x[0], x[n - 1]);
        if (t < lo || t > hi) {
            return values.get(Math.abs(t - x[0]) < Math.abs(t - x[n - 1]) ? 0 : n - 1);
        }
        for (int j = 0; j < n; j++) {
            if (t == x[j]) {
                return values.get(j);
            }
        }
        double[] c = new double[n];
        if (linear) {
            int j = 0;
            while (j < n - 2 && t > x[j + 1]) {
                j++;
            }
            double th = (t - x[j]) / (x[j + 1] - x[j]);
            c[j] = 1 - th;
            c[j + 1] = th;
        } else {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                c[j] = w[j] / (t - x[j]);
                if (Double.isInfinite(c[j])) {
                    return values.get(j);
                }
                sum += c[j];
            }
            for (int j = 0; j < n; j++) {
                c[j] /= sum;
            }
        }
        int comps = values.get(0).size();
        List<Tensor> out = new ArrayList<>(comps);
        Tensor[] terms = new Tensor[n];
        for (int comp = 0; comp < comps; comp++) {
            for (int j = 0; j < n; j++) {
                terms[j] = values.get(j).get(comp);
            }
            out.add(Primitives.linearCombination(c, terms));
        }
        return out;
    }
}
