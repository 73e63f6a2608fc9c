package org.neuralode4j.ode.tableau;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import org.neuralode4j.ode.tableau.Tableau.DenseKind;

/**
 * DOP853, the Dormand–Prince 8(5,3) method (P. J. Prince and J. R. Dormand, "High order embedded Runge–Kutta
 * formulae", J. Comput. Appl. Math. 7(1), 1981, 67–75; E. Hairer, S. P. Nørsett and G. Wanner, <i>Solving
 * Ordinary Differential Equations I</i>, 2nd ed., Springer 1993, Chapter II, and Hairer's code {@code dop853.f}
 * with its dense output {@code contd8}); solvers.md §1.2 (tableau, error rule) and §2.3 (dense output).
 * Coefficients transcribed from Hipparchus 4.0.2 {@code DormandPrince853Integrator} ({@code getC}, {@code getA},
 * {@code getB}, {@code E1_xx} = E5, {@code E2_xx} = E3) and {@code DormandPrince853StateInterpolator} ({@code D}).
 *
 * <p>The tableau has the 12 stages of a step plus the FSAL stage 13 (c = 1, row = b, b_13 = 0), so
 * {@link Tableau#fsal()} holds; E5 and E3 are zero on stage 13, so it is evaluated only after acceptance (§1.1).
 * {@code e} is E5 (b − E5 has order 5) and {@code e3} is E3 = b − b̂₃ with b̂₃ = 31/127, 12675/17272, 3/136 on
 * stages 1, 9, 12 (order 3); they enter the combined error rule of §1.2, not the plain one.
 *
 * <p>Every entry is the double nearest to its exact value: entries with √6 are (p + q√6)/r evaluated in 40
 * digits and rounded once, rationals are a / b, and the four entries of {@link #DENSE_D} whose a / b would be off
 * by one ulp (numerator and denominator beyond 2^53) are written as their correctly rounded value.
 *
 * <h2>7th-order dense output (§2.3)</h2>
 * After an accepted step from (t, y0) with stages k_1..k_12, y1 = y0 + h·Σ b_i·k_i and the FSAL stage
 * k_13 = f(t + h, y1), three extra stages are evaluated for i = 14, 15, 16 in order:
 * <pre>
 *   Y_i = y0 + h·Σ_{j&lt;i} DENSE_A[i−14][j−1]·k_j ;   k_i = f(t + DENSE_C[i−14]·h, Y_i)
 * </pre>
 * (row i−14 of {@link #DENSE_A} has i−1 entries; note it starts from y0, not y1). Then with θ ∈ [0, 1] and
 * η = 1 − θ, the interpolant is y(θ) = y0 + h·Σ_{i=1..16} b_i(θ)·k_i, where, with D = {@link #DENSE_D},
 * <pre>
 *   b_i(θ) = θ·(D[0][i] + η·(D[1][i] + θ·(D[2][i] + η·(D[3][i] + θ·(D[4][i] + η·(D[5][i] + θ·D[6][i]))))))
 * </pre>
 * (Hipparchus' interpolator; Hairer's contd8 stores r_m = h·Σ_i D[m][i]·k_i and nests the same way). D[0] = b,
 * so b_i(1) = b_i. The same polynomial in the monomial basis is {@link #DENSE_POLY}: b_i(θ) =
 * Σ_{m=1..7} DENSE_POLY[m−1][i]·θ^m, so a step stores P_0 = y0 and P_m = h·Σ_i DENSE_POLY[m−1][i]·k_i.
 * {@link #denseWeights(double)} evaluates the nested form.
 */
public final class Dop853 {
    private static final MathContext MC = new MathContext(40);
    private static final BigDecimal SQRT6 = BigDecimal.valueOf(6).sqrt(MC);

    private static final double[] C =
        {0.0, s6(12, -2, 135), s6(6, -1, 45), s6(6, -1, 30), s6(6, 1, 30), 1.0 / 3.0, 1.0 / 4.0, 4.0 / 13.0,
            127.0 / 195.0, 3.0 / 5.0, 6.0 / 7.0, 1.0, 1.0};

    private static final double[][] A = {
        {},
        {s6(12, -2, 135)},
        {s6(6, -1, 180), s6(6, -1, 60)},
        {s6(6, -1, 120), 0.0, s6(6, -1, 40)},
        {s6(462, 107, 3000), 0.0, s6(-402, -197, 1000), s6(168, 73, 375)},
        {1.0 / 27.0, 0.0, 0.0, s6(16, 1, 108), s6(16, -1, 108)},
        {19.0 / 512.0, 0.0, 0.0, s6(118, 23, 1024), s6(118, -23, 1024), -9.0 / 512.0},
        {13772.0 / 371293.0, 0.0, 0.0, s6(51544, 4784, 371293), s6(51544, -4784, 371293), -5688.0 / 371293.0,
            3072.0 / 371293.0},
        {58656157643.0 / 93983540625.0, 0.0, 0.0, s6(-1324889724104L, -318801444819L, 626556937500L),
            s6(-1324889724104L, 318801444819L, 626556937500L), 96044563816.0 / 3480871875.0,
            5682451879168.0 / 281950621875.0, -165125654.0 / 3796875.0},
        {8909899.0 / 18653125.0, 0.0, 0.0, s6(-4521408, -1137963, 2937500), s6(-4521408, 1137963, 2937500),
            96663078.0 / 4553125.0, 2107245056.0 / 137915625.0, -4913652016.0 / 147609375.0,
            -78894270.0 / 3880452869.0},
        {-20401265806.0 / 21769653311.0, 0.0, 0.0, s6(354216, 94326, 112847), s6(354216, -94326, 112847),
            -43306765128.0 / 5313852383.0, -20866708358144.0 / 1126708119789.0, 14886003438020.0 / 654632330667.0,
            35290686222309375.0 / 14152473387134411.0, -1477884375.0 / 485066827.0},
        {39815761.0 / 17514443.0, 0.0, 0.0, s6(-3457480, -960905, 551636), s6(-3457480, 960905, 551636),
            -844554132.0 / 47026969.0, 8444996352.0 / 302158619.0, -2509602342.0 / 877790785.0,
            -28388795297996250.0 / 3199510091356783.0, 226716250.0 / 18341897.0, 1371316744.0 / 2131383595.0},
        {104257.0 / 1920240.0, 0.0, 0.0, 0.0, 0.0, 3399327.0 / 763840.0, 66578432.0 / 35198415.0,
            -1674902723.0 / 288716400.0, 54980371265625.0 / 176692375811392.0, -734375.0 / 4826304.0,
            171414593.0 / 851261400.0, 137909.0 / 3084480.0}};

    private static final double[] B =
        {104257.0 / 1920240.0, 0.0, 0.0, 0.0, 0.0, 3399327.0 / 763840.0, 66578432.0 / 35198415.0,
            -1674902723.0 / 288716400.0, 54980371265625.0 / 176692375811392.0, -734375.0 / 4826304.0,
            171414593.0 / 851261400.0, 137909.0 / 3084480.0, 0.0};

    /** E5 on stages 1, 6..12 (Hipparchus' E1_xx); b − E5 has order 5. */
    private static final double[] E5 =
        {116092271.0 / 8848465920.0, 0.0, 0.0, 0.0, 0.0, -1871647.0 / 1527680.0, -69799717.0 / 140793660.0,
            1230164450203.0 / 739113984000.0, -1980813971228885.0 / 5654156025964544.0, 464500805.0 / 1389975552.0,
            1606764981773.0 / 19613062656000.0, -137909.0 / 6168960.0, 0.0};

    /** E3 = b − b̂₃ (Hipparchus' E2_xx, reduced fractions of b_1 − 31/127, b_9 − 12675/17272, b_12 − 3/136). */
    private static final double[] E3 =
        {-364463.0 / 1920240.0, 0.0, 0.0, 0.0, 0.0, 3399327.0 / 763840.0, 66578432.0 / 35198415.0,
            -1674902723.0 / 288716400.0, -74684743568175.0 / 176692375811392.0, -734375.0 / 4826304.0,
            171414593.0 / 851261400.0, 69869.0 / 3084480.0, 0.0};

    /** DOP853: order 8, embedded orders 5 (E5) and 3 (E3), error order k = 8. */
    public static final Tableau TABLEAU = new Tableau("DOP853", C, A, B, E5, E3, 8, 5, 8, DenseKind.DOP853);

    /** Nodes c_14, c_15, c_16 of the three dense-output stages. */
    public static final double[] DENSE_C =
        {1.0 / 10.0, 1.0 / 5.0, 7.0 / 9.0};

    /** Rows a_14 (13 entries), a_15 (14) and a_16 (15) of the dense-output stages, over stages 1..15. */
    public static final double[][] DENSE_A = {
        {13481885573.0 / 240030000000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 139418837528.0 / 549975234375.0,
            -11108320068443.0 / 45111937500000.0, -1769651421925959.0 / 14249385146080000.0,
            57799439.0 / 377055000.0, 793322643029.0 / 96734250000000.0, 1458939311.0 / 192780000000.0,
            -4149.0 / 500000.0},
        {1595561272731.0 / 50120273500000.0, 0.0, 0.0, 0.0, 0.0, 975183916491.0 / 34457688031250.0,
            38492013932672.0 / 718912673015625.0, -1114881286517557.0 / 20298710767500000.0, 0.0, 0.0,
            -2538710946863.0 / 23431227861250000.0, 8824659001.0 / 23066716781250.0,
            -11518334563.0 / 33831184612500.0, 1912306948.0 / 13532473845.0},
        {-13613986967.0 / 31741908048.0, 0.0, 0.0, 0.0, 0.0, -4755612631.0 / 1012344804.0,
            42939257944576.0 / 5588559685701.0, 77881972900277.0 / 19140370552944.0,
            22719829234375.0 / 63689648654052.0, 0.0, 0.0, 0.0, -1199007803.0 / 857031517296.0,
            157882067000.0 / 53564469831.0, -290468882375.0 / 31741908048.0}};

    /**
     * Hipparchus' interpolation weights D[m][i], m = 0..6, over stages i = 1..16 (index i − 1); see the class
     * comment. Four entries of D[3..6] on stage 9 are the correctly rounded values of 3692384461234828125 /
     * 1744130441634250432, −4821139941836765625 / 218016305204281304, −296858761006640625 / 25648977082856624 and
     * 2545485458115234375 / 27252038150535163.
     */
    public static final double[][] DENSE_D = {
        {104257.0 / 1920240.0, 0.0, 0.0, 0.0, 0.0, 3399327.0 / 763840.0, 66578432.0 / 35198415.0,
            -1674902723.0 / 288716400.0, 54980371265625.0 / 176692375811392.0, -734375.0 / 4826304.0,
            171414593.0 / 851261400.0, 137909.0 / 3084480.0, 0.0, 0.0, 0.0, 0.0},
        {1815983.0 / 1920240.0, 0.0, 0.0, 0.0, 0.0, -3399327.0 / 763840.0, -66578432.0 / 35198415.0,
            1674902723.0 / 288716400.0, -54980371265625.0 / 176692375811392.0, 734375.0 / 4826304.0,
            -171414593.0 / 851261400.0, -137909.0 / 3084480.0, 0.0, 0.0, 0.0, 0.0},
        {-855863.0 / 960120.0, 0.0, 0.0, 0.0, 0.0, 3399327.0 / 381920.0, 133156864.0 / 35198415.0,
            -1674902723.0 / 144358200.0, 54980371265625.0 / 88346187905696.0, -734375.0 / 2413152.0,
            171414593.0 / 425630700.0, 137909.0 / 1542240.0, -1.0, 0.0, 0.0, 0.0},
        {-17751989329.0 / 2106076560.0, 0.0, 0.0, 0.0, 0.0, 4272954039.0 / 7539864640.0,
            -118476319744.0 / 38604839385.0, 755123450731.0 / 316657731600.0, 2.117034582445028,
            -4612609375.0 / 5293382976.0, 2091772278379.0 / 933644586600.0, 2136624137.0 / 3382989120.0,
            -126493.0 / 1421424.0, 98350000.0 / 5419179.0, -18878125.0 / 2053168.0, -1944542619.0 / 438351368.0},
        {32941697297.0 / 3159114840.0, 0.0, 0.0, 0.0, 0.0, 456696183123.0 / 1884966160.0,
            19132610714624.0 / 115814518155.0, -177904688592943.0 / 474986597400.0, -22.113666853125306,
            30702015625.0 / 3970037232.0, -85916079474274.0 / 2800933759800.0, -5919468007.0 / 634310460.0,
            2479159.0 / 157936.0, -18750000.0 / 602131.0, -19203125.0 / 2053168.0, 15700361463.0 / 438351368.0},
        {12627015655.0 / 631822968.0, 0.0, 0.0, 0.0, 0.0, -72955222965.0 / 188496616.0,
            -13145744952320.0 / 69488710893.0, 30084216194513.0 / 56998391688.0, -11.57390253995963,
            569140625.0 / 82709109.0, -18684190637.0 / 18672891732.0, 69644045.0 / 89549712.0,
            -11847025.0 / 4264272.0, -978650000.0 / 16257537.0, 519371875.0 / 6159504.0, 5256837225.0 / 438351368.0},
        {-450944925.0 / 17550638.0, 0.0, 0.0, 0.0, 0.0, -14532122925.0 / 94248308.0, -595876966400.0 / 2573655959.0,
            188748653015.0 / 527762886.0, 93.40532418362432, -1376953125.0 / 36759604.0,
            53995596795.0 / 518691437.0, 210311225.0 / 7047894.0, -1718875.0 / 39484.0, 58000000.0 / 602131.0,
            -1546875.0 / 39484.0, -1262172375.0 / 8429834.0}};

    /**
     * The dense weights in the monomial basis: DENSE_POLY[m − 1][i] multiplies θ^m (m = 1..7) in b_{i+1}(θ).
     * Expanded from {@link #DENSE_D} exactly and rounded once per entry. The expansion has entries up to about
     * 550 that cancel, so evaluating it near θ = 1 loses about 4e-14·h·max|k_i| to rounding, against about
     * 1e-16 for the nested form of {@link #denseWeights(double)} (Hipparchus and contd8 use the nested form).
     */
    public static final double[][] DENSE_POLY = monomial(DENSE_D);

    private Dop853() {}

    /** (p + q·√6)/r, correctly rounded. */
    private static double s6(long p, long q, long r) {
        return BigDecimal.valueOf(p).add(BigDecimal.valueOf(q).multiply(SQRT6, MC))
                .divide(BigDecimal.valueOf(r), MC).doubleValue();
    }

    /**
     * Expands θ·(D0 + η·(D1 + θ·(D2 + η·(D3 + θ·(D4 + η·(D5 + θ·D6)))))) for every stage. The doubles of D
     * are exact in BigDecimal and the expansion only multiplies by θ and 1 − θ, so it is exact until the final
     * rounding.
     */
    private static double[][] monomial(double[][] d) {
        int stages = d[0].length;
        double[][] poly = new double[7][stages];
        for (int i = 0; i < stages; i++) {
            // p[m] is the coefficient of θ^m of the partial nest, built from the innermost term outwards.
            BigDecimal[] p = new BigDecimal[8];
            Arrays.fill(p, BigDecimal.ZERO);
            p[0] = new BigDecimal(d[6][i]);
            for (int j = 5; j >= 0; j--) {
                BigDecimal[] shifted = new BigDecimal[8];
                shifted[0] = BigDecimal.ZERO;
                System.arraycopy(p, 0, shifted, 1, 7);
                for (int m = 0; m < 8; m++) {
                    // Odd levels multiply by θ, even levels by η = 1 − θ.
                    p[m] = (j % 2 == 1) ? shifted[m] : p[m].subtract(shifted[m]);
                }
                p[0] = p[0].add(new BigDecimal(d[j][i]));
            }
            // The outer factor θ shifts everything up by one power.
            for (int m = 1; m <= 7; m++) {
                poly[m - 1][i] = p[m - 1].doubleValue();
            }
        }
        return poly;
    }

    /** The dense weights b_i(θ), i = 1..16, with y(θ) = y0 + h·Σ b_i(θ)·k_i (nested form of the class comment). */
    public static double[] denseWeights(double theta) {
        double eta = 1 - theta;
        double[][] d = DENSE_D;
        double[] w = new double[d[0].length];
        for (int i = 0; i < w.length; i++) {
            w[i] = theta * (d[0][i] + eta * (d[1][i] + theta * (d[2][i] + eta * (d[3][i]
                    + theta * (d[4][i] + eta * (d[5][i] + theta * d[6][i]))))));
        }
        return w;
    }
}
