package org.neuralode4j.sensitivity;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.GradMode;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.Ode;
import org.neuralode4j.ode.Solution;
import org.neuralode4j.ode.SolveException;
import org.neuralode4j.ode.SolveStats;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.tensor.Primitives;
import org.neuralode4j.tensor.Tensor;

/**
 * BACKSOLVE_ADJOINT: the adjoint method of Chen, Rubanova, Bettencourt &amp; Duvenaud (2018), "Neural Ordinary
 * Differential Equations" (gradients.md §2). The forward solve records nothing; the gradient integrates
 * [z, a, a_θ] backwards from each output time to the previous one, re-seating z at the stored outputs.
 *
 * <p>Memory is independent of the number of steps (only the outputs are kept). z is re-computed backwards, so
 * for contracting dynamics it drifts (errors grow like exp(∫μ₂(−J))); the drift is reported as the
 * reconstruction error in the backward statistics.
 *
 * @param method override of the backward method, or null for the forward's
 * @param rtol   backward relative tolerance, or NaN for the forward's
 * @param atol   backward absolute tolerance, or NaN for the forward's
 * @param norm   SEMINORM (default: a_θ out of step control) or FULL (torchdiffeq)
 */
public record BacksolveAdjoint(Tableau method, double rtol, double atol, AdjointNorm norm) implements GradientMethod {

    public BacksolveAdjoint {
        if (norm == null) {
            throw ConfigException.of("norm", null, "SEMINORM or FULL");
        }
    }

    /** Forward solver settings, seminorm. */
    public static BacksolveAdjoint defaults() {
        return new BacksolveAdjoint(null, Double.NaN, Double.NaN, AdjointNorm.SEMINORM);
    }

    /** As torchdiffeq's odeint_adjoint with default options: forward settings, full norm. */
    public static BacksolveAdjoint torchdiffeqCompatible() {
        return new BacksolveAdjoint(null, Double.NaN, Double.NaN, AdjointNorm.FULL);
    }

    public BacksolveAdjoint withTolerances(double r, double a) {
        return new BacksolveAdjoint(method, r, a, norm);
    }

    @Override
    public String name() {
        return "adjoint";
    }

    @Override
    public Solution solve(Dynamics f, List<Tensor> y0, List<String> names, double[] times, SolverConfig cfg) {
        Solution values;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            values = Ode.solveRecorded(f, detached(y0), names, times, cfg);
        }
        List<Tensor> params = f.parameters();
        int nz = y0.size();
        return AdjointOutputs.wrap(name(), values, y0, params, g -> backward(f, values, params, nz, names, cfg, g));
    }

    private Tensor[] backward(Dynamics f, Solution values, List<Tensor> params, int nz, List<String> names, SolverConfig fwd,
                              List<List<Tensor>> g) {
        double[] times = values.times();
        int nOut = times.length;
        AdjointDynamics aug = new AdjointDynamics(f, params, nz, null);
        boolean[] mask = BackwardSolves.mask(fwd, nz, true, params.size(), norm);
        List<String> augNames = BackwardSolves.names(names, params.size(), true);
        List<Tensor> a = new ArrayList<>(g.get(nOut - 2));
        List<Tensor> aTheta = BackwardSolves.zeroParamAdjoints(params);
        long nfe = 0;
        int steps = 0;
        int rejected = 0;
        double recon = 0;
        for (int i = nOut - 1; i >= 1; i--) {
            List<Tensor> state = new ArrayList<>(values.state(i));
            state.addAll(a);
            state.addAll(aTheta);
            SolverConfig bcfg = BackwardSolves.config(fwd, method, rtol, atol, mask,
                    fwd.isAdaptive() ? null : BackwardSolves.reversedGrid(values, times[i - 1], times[i]), new double[0],
                    SolveException.Phase.BACKWARD_ADJOINT, false);
            Solution back = Ode.solveRecorded(aug, state, augNames, new double[] {times[i], times[i - 1]}, bcfg);
            nfe += back.stats().nfe();
            steps += back.stats().accepted();
            rejected += back.stats().rejected();
            List<Tensor> end = back.last();
            recon = Math.max(recon, reconstructionError(end.subList(0, nz), values.state(i - 1)));
            a = new ArrayList<>(end.subList(nz, 2 * nz));
            aTheta = new ArrayList<>(end.subList(2 * nz, end.size()));
            if (i - 1 >= 1) {
                for (int c = 0; c < nz; c++) {
                    a.set(c, Primitives.add(a.get(c), g.get(i - 2).get(c)));
                }
            }
        }
        long stored = 0;
        for (int j = 0; j < nOut; j++) {
            for (Tensor t : values.state(j)) {
                stored += 8L * t.size();
            }
        }
        values.stats().setBackward(new SolveStats.Backward(nfe, steps, rejected, stored, recon));
        return BackwardSolves.gradients(a, aTheta, params);
    }

    /** max over samples of ‖z_b − Z_b‖ / max(‖Z_b‖, 1e-12), all components of a sample together. */
    static double reconstructionError(List<Tensor> z, List<Tensor> stored) {
        int batch = z.get(0).dim(0);
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            double d = 0;
            double n = 0;
            for (int c = 0; c < z.size(); c++) {
                Tensor x = z.get(c);
                Tensor y = stored.get(c);
                int per = x.size() / batch;
                for (int j = b * per; j < (b + 1) * per; j++) {
                    double e = x.getFlat(j) - y.getFlat(j);
                    d += e * e;
                    n += y.getFlat(j) * y.getFlat(j);
                }
            }
            worst = Math.max(worst, Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12));
        }
        return worst;
    }

    static List<Tensor> detached(List<Tensor> y) {
        List<Tensor> out = new ArrayList<>(y.size());
        for (Tensor t : y) {
            out.add(t.detach());
        }
        return out;
    }
}
