package org.neuralode4j.ode.loop;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.tableau.Dop853;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * One attempted Runge–Kutta step (solvers.md §1.1): the stages, the propagated solution and the error estimate.
 *
 * <p>Stages and the new state are recorded ops (a solve can be backpropagated through); the error estimate is a
 * plain value, since step-size decisions are not differentiated. Terms with a zero coefficient are skipped, never
 * stages. For FSAL methods the last stage is evaluated at y_new itself, and when its error weight is zero
 * (DOP853) it is deferred until the step is accepted.
 */
final class RkStepper {
    private final Tableau tab;
    private final Field field;
    private final boolean perturbEnd;
    private final SolveException.Phase phase;
    private final int s;
    private final boolean fsal;
    private final boolean deferLast;

    /** Result of one attempt: all stages (k[i] per component), y_new, and the error estimates (values). */
    record Attempt(List<List<Tensor>> k, List<Tensor> yNew, List<Tensor> err, List<Tensor> err3) {}

    RkStepper(Tableau tab, Field field, boolean perturbEnd, SolveException.Phase phase) {
        this.tab = tab;
        this.field = field;
        this.perturbEnd = perturbEnd;
        this.phase = phase;
        this.s = tab.stages();
        this.fsal = tab.fsal();
        this.deferLast = fsal && tab.e() != null && tab.e()[s - 1] == 0.0 || fsal && tab.e() == null;
    }

    /** Whether the FSAL stage is computed only after acceptance. */
    boolean defersLastStage() {
        return deferLast;
    }

    boolean fsal() {
        return fsal;
    }

    /** New evaluations of f per attempt. */
    int evaluationsPerAttempt() {
        return deferLast ? s - 2 : s - 1;
    }

    /** Stage time for node c. A node of exactly 1 lands on the same double as the step end. */
    double stageTime(double t, double h, double c) {
        if (c == 1.0) {
            double end = t + h;
            return perturbEnd ? Math.nextDown(end) : end;
        }
        return t + c * h;
    }

    /**
     * @param t         step start (forward variable)
     * @param h         step size (> 0)
     * @param y         state at t
     * @param k1        f(t, y)
     * @param withError compute the error estimate
     * @param attemptNo 1-based, for diagnostics
     */
    Attempt attempt(double t, double h, List<Tensor> y, List<Tensor> k1, boolean withError, int attemptNo,
                    double lastH, double lastRatio) {
        double[] c = tab.c();
        double[][] a = tab.a();
        double[] b = tab.b();
        List<List<Tensor>> k = new ArrayList<>(s);
        k.add(k1);
        List<Tensor> yNew = null;
        int last = fsal ? s - 1 : s;
        for (int i = 1; i < last; i++) {
            List<Tensor> yi = combine(y, a[i], h, k, i);
            k.add(evalChecked(t, stageTime(t, h, c[i]), yi, attemptNo, i + 1, h, lastH, lastRatio));
        }
        yNew = combine(y, b, h, k, last);
        if (fsal && !deferLast) {
            k.add(evalChecked(t, stageTime(t, h, 1.0), yNew, attemptNo, s, h, lastH, lastRatio));
        }
        List<Tensor> err = null;
        List<Tensor> err3 = null;
        if (withError) {
            err = errorEstimate(tab.e(), tab.e3() != null ? 1.0 : h, k);
            if (tab.e3() != null) {
                err3 = errorEstimate(tab.e3(), 1.0, k);
            }
        }
        return new Attempt(k, yNew, err, err3);
    }

    /** The deferred FSAL stage f(t + h, y_new), after acceptance. */
    List<Tensor> finishStage(double t, double h, List<Tensor> yNew, int attemptNo) {
        return evalChecked(t, stageTime(t, h, 1.0), yNew, attemptNo, s, h, Double.NaN, Double.NaN);
    }

    /** f at a stage; a failure reports the attempt's start time {@code start} (solvers.md §5). */
    /**
     * DOP853's three dense-output stages (solvers.md §2.3), appended to the 13 stages of an accepted step: only
     * steps whose interpolant is needed pay for them.
     */
    List<List<Tensor>> withDenseStages(double t, double h, List<Tensor> y0, List<List<Tensor>> k, int attemptNo) {
        List<List<Tensor>> all = new ArrayList<>(k);
        for (int i = 0; i < Dop853.DENSE_C.length; i++) {
            double[] row = Dop853.DENSE_A[i];
            List<Tensor> yi = combine(y0, row, h, all, row.length);
            all.add(evalChecked(t, t + Dop853.DENSE_C[i] * h, yi, attemptNo, s + 1 + i, h, Double.NaN, Double.NaN));
        }
        return all;
    }

    private List<Tensor> evalChecked(double start, double t, List<Tensor> y, int attemptNo, int stage, double h,
                                     double lastH, double lastRatio) {
        List<Tensor> k = field.eval(t, y);
        int[] bad = Field.firstNonFinite(k);
        if (bad != null) {
            throw field.nonFinite("f", phase, start, attemptNo, stage, h, lastH, lastRatio, k, bad);
        }
        return k;
    }

    /** y + h·Σ_{j<n} w_j·k_j per component (recorded). */
    static List<Tensor> combine(List<Tensor> y, double[] w, double h, List<List<Tensor>> k, int n) {
        int nonZero = 0;
        for (int j = 0; j < n; j++) {
            if (w[j] != 0.0) {
                nonZero++;
            }
        }
        List<Tensor> out = new ArrayList<>(y.size());
        for (int comp = 0; comp < y.size(); comp++) {
            double[] coeffs = new double[nonZero + 1];
            Tensor[] terms = new Tensor[nonZero + 1];
            coeffs[0] = 1.0;
            terms[0] = y.get(comp);
            int at = 1;
            for (int j = 0; j < n; j++) {
                if (w[j] != 0.0) {
                    coeffs[at] = h * w[j];
                    terms[at++] = k.get(j).get(comp);
                }
            }
            out.add(Ops.linearCombination(coeffs, terms));
        }
        return out;
    }

    /** scale·Σ_j e_j·k_j per component, as values (not recorded). */
    static List<Tensor> errorEstimate(double[] e, double scale, List<List<Tensor>> k) {
        int n = Math.min(e.length, k.size());
        int nonZero = 0;
        for (int j = 0; j < n; j++) {
            if (e[j] != 0.0) {
                nonZero++;
            }
        }
        List<Tensor> out = new ArrayList<>(k.get(0).size());
        for (int comp = 0; comp < k.get(0).size(); comp++) {
            double[] coeffs = new double[nonZero];
            Tensor[] terms = new Tensor[nonZero];
            int at = 0;
            for (int j = 0; j < n; j++) {
                if (e[j] != 0.0) {
                    coeffs[at] = scale * e[j];
                    terms[at++] = k.get(j).get(comp);
                }
            }
            out.add(nonZero == 0 ? Tensor.zeros(k.get(0).get(comp).dtype(), k.get(0).get(comp).shape()) : Primitives.linearCombination(coeffs, terms));
        }
        return out;
    }
}
