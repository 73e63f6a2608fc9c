package org.neuralode4j.analysis.verdict;

/**
 * Library-default practical floors f_X and non-inferiority tolerances Δ_X (evaluation.md §4.4 table, plus the three
 * metrics claims.md §0 adds). Log10 values are ratios: 0.0212 ≈ log10(1.05), 0.0414 ≈ log10(1.10). A claim may
 * set its own values; the report then prints those.
 */
public final class Floors {
    private Floors() {}

    /** Default z for single comparisons (a 2·se screening rule, not a 95 % test at S = 3). */
    public static final double DEFAULT_Z = 2.0;

    /** Clean or robust accuracy (linear). */
    public static final double ACCURACY_FLOOR = 0.005;
    public static final double ACCURACY_DELTA = 0.01;

    /** Test NFE (log10): 5 %. */
    public static final double NFE_FLOOR = 0.0212;
    public static final double NFE_DELTA = 0.0212;

    /** κ statistic, median or p90 (log10): 10 %. */
    public static final double KAPPA_FLOOR = 0.0414;
    public static final double KAPPA_DELTA = 0.0414;

    /** Margin and expansion (log10): 5 %. */
    public static final double MARGIN_FLOOR = 0.0212;
    public static final double MARGIN_DELTA = 0.0212;

    /** μ₂ statistic (linear). */
    public static final double MU2_FLOOR = 0.01;
    public static final double MU2_DELTA = 0.01;

    /** ‖Δ‖_F (linear); the table gives no non-inferiority tolerance. */
    public static final double DELTA_F_FLOOR = 1e-3;

    /** NLL in nats (linear), claims.md §0. */
    public static final double NLL_FLOOR = 0.01;
    public static final double NLL_DELTA = 0.05;

    /** Wall time (log10): 10 %, claims.md §0. */
    public static final double WALL_TIME_FLOOR = 0.0414;

    /** Gradient error (log10), claims.md §0. */
    public static final double GRADIENT_ERROR_FLOOR = 0.0414;
}
