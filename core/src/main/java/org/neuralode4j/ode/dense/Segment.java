package org.neuralode4j.ode.dense;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/**
 * The interpolant of one accepted step as polynomial coefficients in θ = (s − s_k)/h_k ∈ [0, 1]:
 * y(θ) = Σ_m θ^m·P_m with P_0 = y_k (solvers.md §2). Times are in the solve's forward variable s.
 *
 * <p>Coefficients are recorded tensors, so interpolated outputs carry gradients back to the step's stages.
 */
public final class Segment {
    private final double start;
    private final double h;
    private final Tensor[][] coeffs; // [component][power]

    public Segment(double start, double h, Tensor[][] coeffs) {
        this.start = start;
        this.h = h;
        this.coeffs = coeffs;
    }

    public double start() {
        return start;
    }

    public double h() {
        return h;
    }

    public double end() {
        return start + h;
    }

    /** The state at θ (0 gives y_k). */
    public List<Tensor> at(double theta) {
        List<Tensor> out = new ArrayList<>(coeffs.length);
        for (Tensor[] p : coeffs) {
            double[] w = new double[p.length];
            double pw = 1.0;
            for (int m = 0; m < p.length; m++) {
                w[m] = pw;
                pw *= theta;
            }
            out.add(Ops.linearCombination(w, p));
        }
        return out;
    }

    /**
     * The state at a different θ_b for each row b (per-sample solves, where each row has its own step): Horner
     * in θ with θ broadcast as a column [B, 1, ...].
     */
    public List<Tensor> atRows(double[] theta) {
        List<Tensor> out = new ArrayList<>(coeffs.length);
        for (Tensor[] p : coeffs) {
            int[] dims = new int[p[0].rank()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = theta.length;
            Tensor th = Tensor.of(p[0].dtype(), theta, dims);
            Tensor acc = p[p.length - 1];
            for (int m = p.length - 2; m >= 0; m--) {
                acc = Ops.add(Ops.mul(acc, th), p[m]);
            }
            out.add(acc);
        }
        return out;
    }

    /** dy/ds at θ: Σ m θ^(m−1) P_m / h. */
    public List<Tensor> derivativeAt(double theta) {
        List<Tensor> out = new ArrayList<>(coeffs.length);
        for (Tensor[] p : coeffs) {
            double[] w = new double[p.length];
            double pw = 1.0 / h;
            for (int m = 1; m < p.length; m++) {
                w[m] = m * pw;
                pw *= theta;
            }
            out.add(Ops.linearCombination(w, p));
        }
        return out;
    }

    /** Bytes held by the coefficients. */
    public long bytes() {
        long b = 0;
        for (Tensor[] p : coeffs) {
            for (Tensor t : p) {
                b += (long) t.size() * t.dtype().bytes();
            }
        }
        return b;
    }
}
