package org.neuralode4j.ode.dense;

import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.tableau.Dop853;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.ode.tableau.Tsit5;
import org.neuralode4j.tensor.Tensor;

/**
 * Builds the interpolant of an accepted step as polynomial coefficients P_m in θ (solvers.md §2): every P_m is a
 * fixed linear combination of y0, y1, h·k_i (and h·f1 for Hermite), evaluated with one fused recorded op.
 */
public final class Interpolants {
    private Interpolants() {}

    /** True when the interpolant of this tableau needs f(t + h, y1) as a separate input (Hermite of a non-FSAL method). */
    public static boolean needsEndDerivative(Tableau tab) {
        return kindOf(tab) == Tableau.DenseKind.HERMITE && !tab.fsal();
    }

    /** True when the loop must append extra stages before building (DOP853's 7th-order extension). */
    public static boolean needsExtraStages(Tableau tab) {
        return tab.dense() == Tableau.DenseKind.DOP853;
    }

    static Tableau.DenseKind kindOf(Tableau tab) {
        return tab.dense();
    }

    /**
     * @param tab   the method
     * @param start step start (forward variable)
     * @param h     step size
     * @param y0    state at the start
     * @param y1    state at the end
     * @param k     the step's stages k[i][component] (k[s−1] = f(t + h, y1) for FSAL methods)
     * @param f1    f(t + h, y1) for non-FSAL Hermite, else null
     */
    public static Segment build(Tableau tab, double start, double h, List<Tensor> y0, List<Tensor> y1,
                                List<List<Tensor>> k, List<Tensor> f1) {
        int comps = y0.size();
        Tensor[][] p = new Tensor[comps][];
        Tableau.DenseKind kind = kindOf(tab);
        if (kind == Tableau.DenseKind.DOP853 && k.size() < Dop853.DENSE_POLY[0].length) {
            // Without the three dense stages (per-sample solves) the cubic Hermite from the FSAL stage serves.
            kind = Tableau.DenseKind.HERMITE;
        }
        for (int c = 0; c < comps; c++) {
            switch (kind) {
                case DOPRI5:
                    p[c] = dopri5(h, y0.get(c), y1.get(c), k, c);
                    break;
                case TSIT5:
                    p[c] = tsit5(h, y0.get(c), k, c);
                    break;
                case DOP853:
                    p[c] = monomial(Dop853.DENSE_POLY, h, y0.get(c), k, c);
                    break;
                default:
                    Tensor end = f1 != null ? f1.get(c) : k.get(k.size() - 1).get(c);
                    p[c] = hermite(h, y0.get(c), y1.get(c), k.get(0).get(c), end);
                    break;
            }
        }
        return new Segment(start, h, p);
    }

    /**
     * Cubic Hermite (§2.3) expanded in powers of θ: P0 = y0, P1 = h f0, P2 = 3(y1 − y0) − h(2f0 + f1),
     * P3 = 2(y0 − y1) + h(f0 + f1).
     */
    static Tensor[] hermite(double h, Tensor y0, Tensor y1, Tensor f0, Tensor f1) {
        return new Tensor[] {
            y0,
            Ops.mul(f0, h),
            Ops.linearCombination(new double[] {-3, 3, -2 * h, -h}, y0, y1, f0, f1),
            Ops.linearCombination(new double[] {2, -2, h, h}, y0, y1, f0, f1)
        };
    }

    /**
     * DOPRI5's quartic through the midpoint (§2.1 (a)), with y_mid = y0 + h·Σ cm_i k_i substituted so each P_m is
     * one combination of y0, y1 and the stages:
     * P2 = 5y0 − 5y1 + h(f1 − 4f0 + 16Σcm k), P3 = −14y0 + 14y1 + h(5f0 − 3f1 − 32Σcm k),
     * P4 = 8y0 − 8y1 + h(2f1 − 2f0 + 16Σcm k), with f0 = k_1 and f1 = k_7.
     */
    static Tensor[] dopri5(double h, Tensor y0, Tensor y1, List<List<Tensor>> k, int c) {
        double[] cm = Dopri5.MID;
        int s = cm.length;
        Tensor[] terms = new Tensor[s + 2];
        terms[0] = y0;
        terms[1] = y1;
        for (int i = 0; i < s; i++) {
            terms[2 + i] = k.get(i).get(c);
        }
        double[] p2 = new double[s + 2];
        double[] p3 = new double[s + 2];
        double[] p4 = new double[s + 2];
        p2[0] = 5;
        p2[1] = -5;
        p3[0] = -14;
        p3[1] = 14;
        p4[0] = 8;
        p4[1] = -8;
        for (int i = 0; i < s; i++) {
            p2[2 + i] = 16 * h * cm[i];
            p3[2 + i] = -32 * h * cm[i];
            p4[2 + i] = 16 * h * cm[i];
        }
        p2[2] += -4 * h;
        p2[2 + s - 1] += h;
        p3[2] += 5 * h;
        p3[2 + s - 1] += -3 * h;
        p4[2] += -2 * h;
        p4[2 + s - 1] += 2 * h;
        return new Tensor[] {y0, Ops.mul(k.get(0).get(c), h), Ops.linearCombination(p2, terms),
            Ops.linearCombination(p3, terms), Ops.linearCombination(p4, terms)};
    }

    /** P0 = y0, P_m = h·Σ_i poly[m−1][i]·k_i: an interpolant given by its weights in the monomial basis. */
    static Tensor[] monomial(double[][] poly, double h, Tensor y0, List<List<Tensor>> k, int c) {
        int s = poly[0].length;
        Tensor[] terms = new Tensor[s];
        for (int i = 0; i < s; i++) {
            terms[i] = k.get(i).get(c);
        }
        Tensor[] p = new Tensor[poly.length + 1];
        p[0] = y0;
        for (int m = 1; m <= poly.length; m++) {
            double[] w = new double[s];
            for (int i = 0; i < s; i++) {
                w[i] = h * poly[m - 1][i];
            }
            p[m] = Ops.linearCombination(w, terms);
        }
        return p;
    }

    /** Tsitouras' interpolant (§2.2): P0 = y0, P_m = h·Σ_i β_im k_i, row 1 chosen so that Σ_i b_i(θ) = θ. */
    static Tensor[] tsit5(double h, Tensor y0, List<List<Tensor>> k, int c) {
        double[][] beta = Tsit5.BETA;
        int s = beta.length;
        Tensor[] terms = new Tensor[s];
        for (int i = 0; i < s; i++) {
            terms[i] = k.get(i).get(c);
        }
        Tensor[] p = new Tensor[5];
        p[0] = y0;
        for (int m = 1; m <= 4; m++) {
            double[] w = new double[s];
            for (int i = 0; i < s; i++) {
                w[i] = h * beta[i][m - 1];
            }
            p[m] = Ops.linearCombination(w, terms);
        }
        return p;
    }
}
