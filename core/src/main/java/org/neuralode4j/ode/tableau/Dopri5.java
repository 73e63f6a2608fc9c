package org.neuralode4j.ode.tableau;

import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * The Dormand–Prince 5(4) pair (J. R. Dormand and P. J. Prince, "A family of embedded Runge–Kutta formulae",
 * J. Comput. Appl. Math. 6(1), 1980, 19–26) with its 4th-order continuous extension (E. Hairer, S. P. Nørsett
 * and G. Wanner, <i>Solving Ordinary Differential Equations I</i>, 2nd ed., Springer 1993, §II.6; L. F. Shampine,
 * "Some practical Runge–Kutta formulas", Math. Comp. 46, 1986, for the midpoint weights); solvers.md §1.2, §2.1.
 *
 * <p>FSAL, 7 stages, 6 new evaluations per attempt; the order-5 solution is propagated, error order k = 5.
 * Two error-weight sets exist (§1.2): {@link #TABLEAU} carries Hairer's and Hipparchus' e; {@link #TORCHDIFFEQ}
 * carries torchdiffeq's e_td = (2/3)·e, required by the compatible preset (§3.4). Select with
 * {@link Dopri5ErrorWeights}.
 *
 * <p>Dense output (§2.1), two equivalent constructions of the same quartic, with f0 = k_1, f1 = k_7,
 * y1 = y0 + h·Σ b_i·k_i:
 * <ul>
 *   <li>(a) through the midpoint: y_mid = y0 + h·Σ {@link #MID}_i·k_i, then P_0 = y0, P_1 = h·f0,
 *       P_2 = h·(f1 − 4f0) − 11y0 − 5y1 + 16y_mid, P_3 = h·(5f0 − 3f1) + 18y0 + 14y1 − 32y_mid,
 *       P_4 = 2h·(f1 − f0) − 8(y0 + y1) + 16y_mid, and y(θ) = Σ_m θ^m·P_m;</li>
 *   <li>(b) Hairer's: r1 = y0, r2 = y1 − y0, r3 = h·k_1 − r2, r4 = r2 − h·k_7 − r3,
 *       r5 = h·Σ {@link #DENSE_D}_i·k_i, y(θ) = r1 + θ·(r2 + (1 − θ)·(r3 + θ·(r4 + (1 − θ)·r5))).</li>
 * </ul>
 * {@link #denseWeights(double)} gives the resulting weights b_i(θ) with y(θ) = y0 + h·Σ b_i(θ)·k_i.
 */
public final class Dopri5 {
    private static final double[] C = {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0};

    private static final double[] B = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0};

    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        // FSAL: the last stage is f at the propagated solution.
        {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};

    /** e = b − b̂ with b̂ = [5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40] (order 4). */
    private static final double[] E = {
        71.0 / 57600, 0.0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

    /** e_td = (2/3)·e, i.e. b̂_td = b/3 + 2b̂/3 (also order 4), torchdiffeq's embedded formula. */
    private static final double[] E_TORCHDIFFEQ = {
        71.0 / 86400, 0.0, -142.0 / 50085, 71.0 / 2880, -5751.0 / 169600, 44.0 / 1575, -1.0 / 60};

    /** DOPRI5 with the standard error weights e (Hairer's dopri5, Hipparchus' DormandPrince54Integrator). */
    public static final Tableau TABLEAU = new Tableau("DOPRI5", C, A, B, E, null, 5, 4, 5, DenseKind.DOPRI5);

    /** DOPRI5 with torchdiffeq's error weights e_td = (2/3)·e; same c, A, b and dense output. */
    public static final Tableau TORCHDIFFEQ =
            new Tableau("DOPRI5_TORCHDIFFEQ", C, A, B, E_TORCHDIFFEQ, null, 5, 4, 5, DenseKind.DOPRI5);

    /**
     * cm: the extension's weights at θ = ½, y_mid = y0 + h·Σ cm_i·k_i (torchdiffeq's DPS_C_MID); construction (a).
     */
    public static final double[] MID = {
        6025192743.0 / 60171106304.0, 0.0, 51252292925.0 / 130801643196.0, -2691868925.0 / 90256659456.0,
        187940372067.0 / 3189068634112.0, -1776094331.0 / 39487288512.0, 11237099.0 / 470086768};

    /** Hairer's d (also Hipparchus' DormandPrince54StateInterpolator): r5 = h·Σ d_i·k_i in construction (b). */
    public static final double[] DENSE_D = {
        -12715105075.0 / 11282082432.0, 0.0, 87487479700.0 / 32700410799.0, -10690763975.0 / 1880347072.0,
        701980252875.0 / 199316789632.0, -1453857185.0 / 822651844, 69997945.0 / 29380423};

    private Dopri5() {}

    /**
     * The extension's weights b_i(θ), i = 1..7, with y(θ) = y0 + h·Σ b_i(θ)·k_i, from construction (b):
     * b_i(θ) = θ·(b_i + (1 − θ)·(δ_i1 − b_i + θ·(2b_i − δ_i1 − δ_i7 + (1 − θ)·d_i))). b_i(1) = b_i, b_i(½) = cm_i.
     */
    public static double[] denseWeights(double theta) {
        double eta = 1 - theta;
        double[] w = new double[B.length];
        for (int i = 0; i < B.length; i++) {
            double r3 = (i == 0 ? 1 : 0) - B[i];
            double r4 = 2 * B[i] - (i == 0 ? 1 : 0) - (i == B.length - 1 ? 1 : 0);
            w[i] = theta * (B[i] + eta * (r3 + theta * (r4 + eta * DENSE_D[i])));
        }
        return w;
    }
}
