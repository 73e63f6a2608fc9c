package org.neuralode4j.testkit;

import java.util.ArrayList;
import java.util.List;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.Dynamics;
import org.neuralode4j.tensor.Tensor;

/**
 * An independent transcription of torchdiffeq 0.2.5's dopri5 loop in recorded ops, for tests of the
 * torchdiffeq-compatible preset (solvers.md §3.4) over whole training runs: misc.py's {@code _select_initial_step}
 * and {@code _optimal_step_size}, rk_common.py's {@code _runge_kutta_step}, {@code _adaptive_step},
 * {@code _interp_fit} and {@code _interp_evaluate}, and the max-of-RMS norm torchdiffeq uses for a tuple state. It
 * steps past t1 and interpolates there, as torchdiffeq does.
 *
 * <p>With {@code differentiateSteps} the step sizes stay in the graph as torchdiffeq keeps them in direct mode: the
 * initial step (through f(t0, y0) and the probe evaluation), every controller factor (through the error ratio) and
 * the interpolation position (through the accumulated step ends). The library, like the adjoint, treats them as
 * constants (solvers.md, gradients.md §1). Time is passed to the field as a plain number, so this is for autonomous
 * fields, and the solve runs forwards from t = 0.
 */
public final class TorchdiffeqDopri5Loop {
    private static final double[][] BETA = {
        {1 / 5.},
        {3 / 40., 9 / 40.},
        {44 / 45., -56 / 15., 32 / 9.},
        {19372 / 6561., -25360 / 2187., 64448 / 6561., -212 / 729.},
        {9017 / 3168., -355 / 33., 46732 / 5247., 49 / 176., -5103 / 18656.},
        {35 / 384., 0, 500 / 1113., 125 / 192., -2187 / 6784., 11 / 84.}};
    private static final double[] ALPHA = {1 / 5., 3 / 10., 4 / 5., 8 / 9., 1., 1.};
    private static final double[] C_ERROR = {35 / 384. - 1951 / 21600., 0, 500 / 1113. - 22642 / 50085.,
        125 / 192. - 451 / 720., -2187 / 6784. + 12231 / 42400., 11 / 84. - 649 / 6300., -1 / 60.};
    private static final double[] C_MID = {6025192743. / 30085553152. / 2, 0, 51252292925. / 65400821598. / 2,
        -2691868925. / 45128329728. / 2, 187940372067. / 1594534317056. / 2, -1776094331. / 19743644256. / 2,
        11237099. / 235043384. / 2};

    private final Dynamics field;
    private final double rtol;
    private final double atol;
    private final boolean differentiateSteps;
    private int nfe;

    public TorchdiffeqDopri5Loop(Dynamics field, double rtol, double atol, boolean differentiateSteps) {
        this.field = field;
        this.rtol = rtol;
        this.atol = atol;
        this.differentiateSteps = differentiateSteps;
    }

    /** Evaluations of the field so far, the two of the initial step included. */
    public int nfe() {
        return nfe;
    }

    /** y(t1) for y(0) = y0. */
    public List<Tensor> solve(List<Tensor> y0, double t1) {
        List<Tensor> f = eval(0, y0);
        Tensor dt = initialStep(y0, f);
        Tensor start = Tensor.scalar(0);
        Tensor end = Tensor.scalar(0);
        List<Tensor> y = y0;
        List<Tensor[]> interpolant = null;
        while (t1 > end.item()) {
            List<List<Tensor>> k = new ArrayList<>();
            k.add(f);
            List<Tensor> yi = null;
            for (int i = 0; i < BETA.length; i++) {
                yi = combination(y, dt, k, BETA[i]);
                k.add(eval(end.item() + ALPHA[i] * dt.item(), yi));
            }
            List<Tensor> y1 = yi;
            Tensor ratio = errorRatio(y, y1, combination(null, dt, k, C_ERROR));
            boolean accept = ratio.item() <= 1;
            Tensor next = nextStep(dt, ratio, accept);
            if (accept) {
                interpolant = interpolant(y, y1, combination(y, dt, k, C_MID), k.get(0), k.get(k.size() - 1), dt);
                start = end;
                end = Ops.add(end, dt);
                y = y1;
                f = k.get(k.size() - 1);
            }
            dt = held(next);
        }
        Tensor x = Ops.div(Ops.rsub(t1, start), Ops.sub(end, start));
        List<Tensor> out = new ArrayList<>();
        for (Tensor[] c : interpolant) {
            Tensor total = c[0];
            Tensor power = x;
            for (int p = 1; p < c.length; p++) {
                total = Ops.add(total, Ops.mul(c[p], power));
                power = Ops.mul(power, x);
            }
            out.add(total);
        }
        return out;
    }

    private List<Tensor> eval(double t, List<Tensor> y) {
        nfe++;
        return field.apply(t, y);
    }

    /** A step size in the graph, or its value alone when the steps are not differentiated. */
    private Tensor held(Tensor h) {
        return differentiateSteps ? h : Tensor.scalar(h.item());
    }

    /** misc.py _select_initial_step with order 4 (dopri5), on the tuple norm. */
    private Tensor initialStep(List<Tensor> y0, List<Tensor> f0) {
        List<Tensor> scale = new ArrayList<>();
        List<Tensor> scaledY = new ArrayList<>();
        List<Tensor> scaledF = new ArrayList<>();
        for (int m = 0; m < y0.size(); m++) {
            scale.add(Ops.affine(Ops.abs(y0.get(m)), rtol, atol));
            scaledY.add(Ops.div(y0.get(m), scale.get(m)));
            scaledF.add(Ops.div(f0.get(m), scale.get(m)));
        }
        Tensor d0 = norm(scaledY);
        Tensor d1 = norm(scaledF);
        Tensor h0 = held(d0.item() < 1e-5 || d1.item() < 1e-5 ? Tensor.scalar(1e-6) : Ops.mul(Ops.div(d0, d1), 0.01));
        List<Tensor> y1 = new ArrayList<>();
        for (int m = 0; m < y0.size(); m++) {
            y1.add(Ops.add(y0.get(m), Ops.mul(f0.get(m), h0)));
        }
        List<Tensor> f1 = eval(h0.item(), y1);
        List<Tensor> change = new ArrayList<>();
        for (int m = 0; m < y0.size(); m++) {
            change.add(Ops.div(Ops.sub(f1.get(m), f0.get(m)), scale.get(m)));
        }
        Tensor d2 = Ops.div(norm(change), h0);
        Tensor h1;
        if (d1.item() <= 1e-15 && d2.item() <= 1e-15) {
            h1 = Tensor.scalar(Math.max(1e-6, h0.item() * 1e-3));
        } else {
            Tensor larger = d1.item() >= d2.item() ? d1 : d2;
            h1 = Ops.pow(Ops.div(Tensor.scalar(0.01), larger), 1.0 / 5);
        }
        Tensor h100 = Ops.mul(h0, 100);
        return held(h100.item() <= h1.item() ? h100 : h1);
    }

    /** misc.py _optimal_step_size: safety 0.9, factors clamped to [dfactor, 10], dfactor 1 after an accepted step. */
    private static Tensor nextStep(Tensor dt, Tensor ratio, boolean accepted) {
        if (ratio.item() == 0) {
            return Ops.mul(dt, 10);
        }
        Tensor factor = Ops.mul(Ops.pow(ratio, -1.0 / 5), 0.9);
        double lowest = accepted ? 1.0 : 0.2;
        if (factor.item() > 10) {
            factor = Tensor.scalar(10);
        } else if (factor.item() < lowest) {
            factor = Tensor.scalar(lowest);
        }
        return Ops.mul(dt, factor);
    }

    /** The tuple norm of err / (atol + rtol·max(|y0|, |y1|)), max(a, b) written as (a + b + |a − b|) / 2. */
    private Tensor errorRatio(List<Tensor> y0, List<Tensor> y1, List<Tensor> err) {
        List<Tensor> scaled = new ArrayList<>();
        for (int m = 0; m < y0.size(); m++) {
            Tensor a = Ops.abs(y0.get(m));
            Tensor b = Ops.abs(y1.get(m));
            Tensor larger = Ops.mul(Ops.add(Ops.add(a, b), Ops.abs(Ops.sub(a, b))), 0.5);
            scaled.add(Ops.div(err.get(m), Ops.affine(larger, rtol, atol)));
        }
        return norm(scaled);
    }

    /** torchdiffeq's mixed norm: the largest member RMS (max over a list returns that member, gradient included). */
    private static Tensor norm(List<Tensor> members) {
        Tensor largest = null;
        for (Tensor x : members) {
            Tensor rms = Ops.sqrt(Ops.mean(Ops.square(x)));
            if (largest == null || rms.item() > largest.item()) {
                largest = rms;
            }
        }
        return largest;
    }

    /** base + dt·Σ_j c_j k_j per component (dt·Σ_j c_j k_j when base is null). */
    private static List<Tensor> combination(List<Tensor> base, Tensor dt, List<List<Tensor>> k, double[] c) {
        List<Tensor> out = new ArrayList<>();
        for (int m = 0; m < k.get(0).size(); m++) {
            Tensor sum = null;
            for (int j = 0; j < c.length && j < k.size(); j++) {
                if (c[j] != 0) {
                    Tensor term = Ops.mul(k.get(j).get(m), c[j]);
                    sum = sum == null ? term : Ops.add(sum, term);
                }
            }
            Tensor step = Ops.mul(sum, dt);
            out.add(base == null ? step : Ops.add(base.get(m), step));
        }
        return out;
    }

    /** rk_common.py _interp_fit: quartic coefficients (e, d, c, b, a) in powers of the position in the step. */
    private static List<Tensor[]> interpolant(List<Tensor> y0, List<Tensor> y1, List<Tensor> yMid, List<Tensor> f0,
                                              List<Tensor> f1, Tensor dt) {
        List<Tensor[]> out = new ArrayList<>();
        for (int m = 0; m < y0.size(); m++) {
            Tensor a0 = y0.get(m);
            Tensor a1 = y1.get(m);
            Tensor mid = yMid.get(m);
            Tensor g0 = f0.get(m);
            Tensor g1 = f1.get(m);
            Tensor a = Ops.add(Ops.mul(Ops.mul(Ops.sub(g1, g0), dt), 2), Ops.add(Ops.mul(Ops.add(a1, a0), -8), Ops.mul(mid, 16)));
            Tensor b = Ops.add(Ops.mul(Ops.sub(Ops.mul(g0, 5), Ops.mul(g1, 3)), dt),
                    Ops.add(Ops.add(Ops.mul(a0, 18), Ops.mul(a1, 14)), Ops.mul(mid, -32)));
            Tensor c = Ops.add(Ops.mul(Ops.sub(g1, Ops.mul(g0, 4)), dt),
                    Ops.add(Ops.add(Ops.mul(a0, -11), Ops.mul(a1, -5)), Ops.mul(mid, 16)));
            out.add(new Tensor[] {a0, Ops.mul(g0, dt), c, b, a});
        }
        return out;
    }
}
