package org.neuralode4j.cnf;

import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.tensor.Tensor;

/**
 * The end time T of a CNF block, fixed or learned (cnf.md §1.5).
 *
 * <p>A learned T is a function of a trainable scalar q: SQUARE T = q² (FFJORD's code, the default; q0 = √T0) or
 * SOFTPLUS T = ln(1 + e^q) (q0 = ln(e^{T0} − 1)). How it is differentiated: the block solves the rescaled
 * problem dz/ds = T·f(sT, z) on s ∈ [0, 1] (every channel's right-hand side times T), so T is an ordinary
 * parameter of the dynamics and every gradient method — DIRECT and both adjoints — returns ∂L/∂q without a
 * special terminal term. The rescaled solve takes the same steps as the original one in units of T (a Runge–Kutta
 * method commutes with a linear change of the time variable), so NFE do not change.
 *
 * @param initial         T for a fixed end time, T0 for a learned one; must be &gt; 0
 * @param learned         whether T is trained
 * @param parametrisation how T is made from q (ignored when fixed)
 */
public record EndTime(double initial, boolean learned, Parametrisation parametrisation) {
    /** T as a function of the trained scalar q. */
    public enum Parametrisation { SQUARE, SOFTPLUS }

    public EndTime {
        if (!(initial > 0) || Double.isInfinite(initial)) {
            throw ConfigException.of("end time", initial, "must be > 0 and finite");
        }
        if (parametrisation == null) {
            throw new ConfigException("end time: parametrisation is required");
        }
    }

    /** A fixed T (W2: 0.5; RNODE: 1). */
    public static EndTime fixed(double t) {
        return new EndTime(t, false, Parametrisation.SQUARE);
    }

    /** A learned T = q², q0 = √T0 (FFJORD's toy default, T0 = 0.5). */
    public static EndTime learned(double t0) {
        return new EndTime(t0, true, Parametrisation.SQUARE);
    }

    /** A learned T with the given parametrisation. */
    public static EndTime learned(double t0, Parametrisation p) {
        return new EndTime(t0, true, p);
    }

    /** q0, the initial value of the trained scalar. */
    public double initialRaw() {
        return parametrisation == Parametrisation.SQUARE ? Math.sqrt(initial) : Math.log(Math.expm1(initial));
    }

    /** T(q), recorded so that gradients reach q. */
    public Tensor time(Tensor q) {
        return parametrisation == Parametrisation.SQUARE ? Ops.square(q) : Ops.softplus(q);
    }

    /** T(q) as a number. */
    public double time(double q) {
        return parametrisation == Parametrisation.SQUARE ? q * q : Math.max(q, 0) + Math.log1p(Math.exp(-Math.abs(q)));
    }
}
