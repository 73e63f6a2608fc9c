package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Tensor;

/** Configuration of the backward solves shared by the two adjoint methods (gradients.md §2.3). */
final class BackwardSolves {
    private BackwardSolves() {}

    /**
     * The backward solver for one interval: the forward method and control unless overridden, the norm mask for
     * the augmented layout, batch-wide, no dense output. A fixed-step forward solve is replayed on its own grid,
     * reversed.
     *
     * @param forward   the forward configuration
     * @param method    override of the method, or null
     * @param rtol      override, or NaN
     * @param atol      override, or NaN
     * @param counted   per augmented component, whether it counts in the error norm
     * @param grid      the forward steps' end points inside the interval, in backward order (fixed-step only)
     * @param tstops    forced stops (IRDM nodes), or empty
     * @param clipToEnds end steps exactly on the interval ends even if the forward stepped past them: IRDM's
     *                   interpolant is a polynomial of degree n − 1 and must not be extrapolated (gradients.md §3.2)
     */
    static SolverConfig config(SolverConfig forward, Tableau method, double rtol, double atol, boolean[] counted,
                               double[] grid, double[] tstops, SolveException.Phase phase, boolean clipToEnds) {
        Tableau tab = method != null ? method : forward.tableau();
        SolverConfig cfg;
        if (forward.isAdaptive()) {
            StepControl sc = forward.stepControl();
            double r = Double.isNaN(rtol) ? sc.rtol() : rtol;
            double a = Double.isNaN(atol) ? sc.atol() : atol;
            StepControl back = sc.withTolerances(r, a).withComponentTolerances(null, null).withCounted(counted)
                    .withFirstStep(Double.NaN).withTstops(tstops);
            if (clipToEnds) {
                back = back.withOvershoot(org.neuralode4j.ode.control.Stops.Overshoot.CLIP_TO_STOPS);
            }
            cfg = new SolverConfig(tab, back, null, forward.limits(), BatchMode.BATCH_WIDE, false, phase);
        } else {
            cfg = new SolverConfig(tab, null, FixedSteps.ofGrid(grid), forward.limits(), BatchMode.BATCH_WIDE, false, phase);
        }
        return cfg;
    }

    /** Forward grid points within [lo, hi], from hi down to lo (both included). */
    static double[] reversedGrid(Solution forward, double lo, double hi) {
        List<Double> pts = new ArrayList<>();
        pts.add(hi);
        double[][] steps = forward.stepSequence();
        for (int i = steps.length - 1; i >= 0; i--) {
            double p = steps[i][0];
            double a = Math.min(lo, hi);
            double b = Math.max(lo, hi);
            if (p > a && p < b) {
                pts.add(p);
            }
        }
        pts.add(lo);
        double[] g = pts.stream().mapToDouble(Double::doubleValue).toArray();
        return g;
    }

    /** The augmented mask: z and a as the forward counted them, a_θ per the norm. */
    static boolean[] mask(SolverConfig forward, int nz, boolean withZ, int params, AdjointNorm norm) {
        boolean[] m = new boolean[(withZ ? 2 : 1) * nz + params];
        int at = 0;
        for (int rep = 0; rep < (withZ ? 2 : 1); rep++) {
            for (int c = 0; c < nz; c++) {
                m[at++] = forward.isAdaptive() ? forward.stepControl().counts(c) : true;
            }
        }
        Arrays.fill(m, at, m.length, norm == AdjointNorm.FULL);
        return m;
    }

    /** Names of the augmented components for messages: [z (backsolve only)], a_z, a_theta_p. */
    static List<String> names(List<String> state, int params, boolean withZ) {
        List<String> n = new ArrayList<>();
        if (withZ) {
            n.addAll(state);
        }
        for (String s : state) {
            n.add("a_" + s);
        }
        for (int p = 0; p < params; p++) {
            n.add("a_theta" + p);
        }
        return n;
    }

    /** The rule's result: ∂L/∂z0 per component, then each parameter's adjoint in the parameter's shape. */
    static Tensor[] gradients(List<Tensor> a, List<Tensor> aTheta, List<Tensor> params) {
        Tensor[] out = new Tensor[a.size() + params.size()];
        for (int c = 0; c < a.size(); c++) {
            out[c] = a.get(c);
        }
        for (int p = 0; p < params.size(); p++) {
            out[a.size() + p] = org.neuralode4j.autodiff.ops.Ops.reshape(aTheta.get(p), params.get(p).shape());
        }
        return out;
    }

    /**
     * The size of the cotangents: the largest RMS over the entries of one output's cotangents g_j (1 when all are
     * zero). The adjoint system is linear in them, so an absolute tolerance multiplied by this scale makes the
     * backward steps independent of how the loss is scaled (a mean over B samples has cotangents B times smaller
     * than a sum, and would otherwise be integrated with B times less care).
     */
    static double cotangentScale(List<List<Tensor>> g) {
        double scale = 0;
        for (List<Tensor> gj : g) {
            double sum = 0;
            long n = 0;
            for (Tensor t : gj) {
                for (int k = 0; k < t.size(); k++) {
                    double v = t.getFlat(k);
                    sum += v * v;
                }
                n += t.size();
            }
            if (n > 0) {
                scale = Math.max(scale, Math.sqrt(sum / n));
            }
        }
        return scale > 0 && Double.isFinite(scale) ? scale : 1.0;
    }

    /** Zero adjoints [1, size] for each parameter. */
    static List<Tensor> zeroParamAdjoints(List<Tensor> params) {
        List<Tensor> z = new ArrayList<>();
        for (Tensor p : params) {
            z.add(Tensor.zeros(p.dtype(), 1, p.size()));
        }
        return z;
    }
}
