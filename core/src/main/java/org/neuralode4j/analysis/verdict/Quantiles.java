package org.neuralode4j.analysis.verdict;

/**
 * Normal and Student-t distribution functions and quantiles for the verdict rules (evaluation.md §4.4: Bonferroni
 * z_m = Φ⁻¹(1 − 0.025/m) and, under {@code --verdict-rule t}, t_{1−0.025/m, S−1}). Implemented here so the
 * library needs no statistics dependency.
 *
 * <p>Accuracy: Φ and Φ⁻¹ to about 1e-12 in the range the rules use; t quantiles to about 1e-9 (bisection on an
 * incomplete-beta CDF accurate to ~1e-13).
 */
public final class Quantiles {
    private Quantiles() {}

    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    /** Standard normal CDF Φ(x) = ½·erfc(−x/√2), via erfc so upper tails keep relative accuracy. */
    public static double normalCdf(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        return 0.5 * erfc(-x / Math.sqrt(2.0));
    }

    /**
     * Complementary error function, erfc(x) = Q(½, x²) for x ≥ 0 (regularised upper incomplete gamma), and
     * 2 − erfc(−x) for x &lt; 0.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x < 0) return 2.0 - erfc(-x);
        if (x == 0) return 1.0;
        if (x > 27) return 0.0; // below Double.MIN_VALUE
        return gammaQ(0.5, x * x);
    }

    /**
     * Φ⁻¹(p): Acklam's rational approximation (relative error ≈ 1.15e-9), refined by one Halley step against the
     * erfc-based Φ, which brings it to near machine precision.
     */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            if (p == 0) return Double.NEGATIVE_INFINITY;
            if (p == 1) return Double.POSITIVE_INFINITY;
            throw new IllegalArgumentException("p must lie in [0, 1], got " + p);
        }
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        final double pLow = 0.02425;
        double x;
        if (p < pLow) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - pLow) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        // Halley refinement: e = Φ(x) − p, u = e/φ(x); x ← x − u/(1 + x·u/2).
        // In the upper tail use the complement so the error is not lost to cancellation near 1.
        // Φ(x) − p = (1 − p) − ½·erfc(x/√2).
        double e = p > 0.5 ? (1 - p) - 0.5 * erfc(x / Math.sqrt(2.0)) : normalCdf(x) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** Student-t CDF with ν degrees of freedom: F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, symmetric below. */
    public static double studentTCdf(double t, double nu) {
        if (!(nu > 0)) throw new IllegalArgumentException("degrees of freedom must be positive, got " + nu);
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** Upper tail P(T &gt; t) for t ≥ 0, computed directly so it is accurate for far-tail quantiles. */
    private static double studentTUpper(double t, double nu) {
        return 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
    }

    /**
     * Student-t quantile t_{p, ν}. Bisection on the upper tail (monotone and robust for ν = 1, 2 where the tails
     * are heavy), to a relative width of 1e-13.
     */
    public static double studentTQuantile(double p, double nu) {
        if (!(nu > 0)) throw new IllegalArgumentException("degrees of freedom must be positive, got " + nu);
        if (!(p > 0 && p < 1)) {
            if (p == 0) return Double.NEGATIVE_INFINITY;
            if (p == 1) return Double.POSITIVE_INFINITY;
            throw new IllegalArgumentException("p must lie in [0, 1], got " + p);
        }
        if (p == 0.5) return 0;
        if (p < 0.5) return -studentTQuantile(1 - p, nu);
        double target = 1 - p; // upper-tail probability
        double lo = 0;
        double hi = Math.max(1.0, normalQuantile(p));
        while (studentTUpper(hi, nu) > target) {
            lo = hi;
            hi *= 2;
            if (hi > 1e300) return Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < 2000 && hi - lo > 1e-13 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (studentTUpper(mid, nu) > target) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** ln Γ(x) for x &gt; 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
    static double logGamma(double x) {
        final double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            // Reflection keeps accuracy for small arguments (ν/2 = 0.5 occurs for ν = 1).
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += g[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** Regularised upper incomplete gamma Q(a, x) (series for x &lt; a + 1, Lentz continued fraction otherwise). */
    static double gammaQ(double a, double x) {
        if (x <= 0) return 1.0;
        double lnPre = -x + a * Math.log(x) - logGamma(a);
        if (x < a + 1) {
            double ap = a;
            double sum = 1.0 / a;
            double del = sum;
            for (int n = 0; n < 1000; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * EPS) break;
            }
            return 1.0 - sum * Math.exp(lnPre);
        }
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) d = TINY;
            c = b + an / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) break;
        }
        return Math.exp(lnPre) * h;
    }

    /** Regularised incomplete beta I_x(a, b) (continued fraction with the usual symmetry switch). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(lnFront) * betaCf(x, a, b) / a;
        }
        return 1 - Math.exp(lnFront) * betaCf(1 - x, b, a) / b;
    }

    private static double betaCf(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) d = TINY;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) d = TINY;
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) d = TINY;
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) break;
        }
        return h;
    }
}
