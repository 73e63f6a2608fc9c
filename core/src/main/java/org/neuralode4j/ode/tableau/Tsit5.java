package org.neuralode4j.ode.tableau;

import java.math.BigDecimal;
import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * Tsitouras' 5(4) pair and its free 4th-order interpolant (Ch. Tsitouras, "Runge–Kutta pairs of order 5(4)
 * satisfying only the first column simplifying assumption", Comput. Math. Appl. 62(2), 2011, 770–775);
 * solvers.md §1.2 (coefficients to 20 significant digits) and §2.2 (interpolant).
 *
 * <p>FSAL, 7 stages, 6 new evaluations per attempt; neuralode4j propagates the order-5 b (torchdiffeq's
 * {@code tsit5} propagates b̂), error order k = 5.
 *
 * <p>Dense output: y(θ) = y0 + h·Σ_i b_i(θ)·k_i with b_i(θ) = Σ_{m=1..4} {@link #BETA}[i][m−1]·θ^m, so the stored
 * polynomial coefficients of a step are P_0 = y0 and P_m = h·Σ_i BETA[i][m−1]·k_i (m = 1..4).
 */
public final class Tsit5 {
    private static final double[] C = {0.0, 0.161, 0.327, 0.9, 0.98002554090450968573, 1.0, 1.0};

    private static final double[] B = {
        0.096460766818065229518, 0.01, 0.47988965041449957478, 1.3790085741037418932,
        -3.2900695154360806799, 2.3247105240997739824, 0.0};

    private static final double[][] A = {
        {},
        {0.161},
        {-0.0084806554923569885444, 0.33548065549235698854},
        {2.8971530571054934321, -6.3594484899750748431, 4.3622954328695814110},
        {5.3258648284392566044, -11.748883564062827878, 7.4955393428898362083, -0.092495066361755249257},
        {5.8614554429464200287, -12.920969317847109292, 8.1593678985761586432, -0.071584973281400997225,
            -0.028269050394068382909},
        // FSAL: the last stage is f at the propagated solution.
        {0.096460766818065229518, 0.01, 0.47988965041449957478, 1.3790085741037418932,
            -3.2900695154360806799, 2.3247105240997739824}};

    /**
     * e = b − b̂ with b̂ = [0.094680755765839458075, 0.0091835655403432530968, 0.48777052842476157079,
     * 1.2342975669304789857, −2.7077123499835254549, 1.8666284181705870358, 1/66] (order 4).
     */
    private static final double[] E = {
        0.0017800110522257714434, 0.00081643445965674690322, -0.0078808780102619960103,
        0.14471100717326290754, -0.58235716545255522502, 0.45808210592918694666, -1.0 / 66};

    /** TSIT5: order 5 propagated, embedded order 4. */
    public static final Tableau TABLEAU = new Tableau("TSIT5", C, A, B, E, null, 5, 4, 5, DenseKind.TSIT5);

    /**
     * The interpolant β_im (§2.2): BETA[i][m−1] multiplies θ^m in b_{i+1}(θ). Rows 2..7 (indices 1..6) are the
     * published 17-digit table. Row 1 (index 0) is not the published row but is derived from the others as
     * b_1(θ) = θ − Σ_{i≥2} b_i(θ), coefficient by coefficient (exactly, then rounded), so that Σ_i b_i(θ) = θ to
     * the last bit of the coefficients and constant slopes are reproduced; it agrees with the published row 1 to
     * about 1e-14, the consistency of the published digits (the test checks both).
     */
    public static final double[][] BETA = withFirstRow(new double[][] {
        {0.0, 0.1317, -0.2234, 0.1017},
        {0.0, 3.9302962368947516, -5.9410338721315048, 2.4906272856512528},
        {0.0, -12.411077166933676, 30.338188630282321, -16.548102889244902},
        {0.0, 37.509313416511041, -88.178904894766404, 47.379521962819283},
        {0.0, -27.896526289197286, 65.091894674793664, -34.870657861496611},
        {0.0, 1.5, -4.0, 2.5}});

    private Tsit5() {}

    /** Prepends row 1 = (1, 0, 0, 0) − Σ of the other rows, summed exactly and rounded once per coefficient. */
    private static double[][] withFirstRow(double[][] rest) {
        double[][] beta = new double[rest.length + 1][];
        beta[0] = new double[4];
        for (int m = 0; m < 4; m++) {
            BigDecimal sum = m == 0 ? BigDecimal.ONE : BigDecimal.ZERO;
            for (double[] row : rest) {
                sum = sum.subtract(new BigDecimal(row[m]));
            }
            beta[0][m] = sum.doubleValue();
        }
        System.arraycopy(rest, 0, beta, 1, rest.length);
        return beta;
    }

    /** The interpolant's weights b_i(θ), i = 1..7, with y(θ) = y0 + h·Σ b_i(θ)·k_i (Horner in θ). */
    public static double[] denseWeights(double theta) {
        double[] w = new double[BETA.length];
        for (int i = 0; i < BETA.length; i++) {
            double[] r = BETA[i];
            w[i] = theta * (r[0] + theta * (r[1] + theta * (r[2] + theta * r[3])));
        }
        return w;
    }
}
