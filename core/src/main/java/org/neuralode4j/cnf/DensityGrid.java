package org.neuralode4j.cnf;

import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * A 2-D flow's log-density on a square grid, for density plots (cnf.md §5.1–5.3): npts points per side over
 * [−box, box]² at x_j = −box + 2·box·j/(npts − 1), evaluated in chunks with the evaluation solver and the exact
 * divergence, no channels. Adaptive steps are shared within a chunk, so values depend on the chunking at the
 * level of the tolerance.
 *
 * <p>The mass Σ p·Δ² (Δ = 2·box/(npts − 1)) of a proper density cannot exceed 1 by more than the quadrature
 * error; above 1.02 {@link #warning()} names the likely causes.
 *
 * @param npts         points per side
 * @param box          half-width of the box (FFJORD's plots: 4)
 * @param coords       the npts coordinates, shared by x and y
 * @param logDensity   log p at (coords[ix], coords[iy]) stored at iy·npts + ix (x to the right, y upwards)
 * @param mass         Σ p·Δ²
 * @param nfe          evaluations of the right-hand side, summed over chunks
 * @param warning      a warning when the mass exceeds 1.02, else null
 */
public record DensityGrid(int npts, double box, double[] coords, double[] logDensity, double mass, long nfe, String warning) {
    /** FFJORD's plotting box [−4, 4]². */
    public static final double DEFAULT_BOX = 4.0;
    /** Default points per side (FFJORD's training figures use 800). */
    public static final int DEFAULT_NPTS = 100;
    /** Default rows per solve (cnf.md §5.2: ≤ 10,000). */
    public static final int DEFAULT_CHUNK = 10_000;
    /** Mass above which the grid is suspicious. */
    public static final double MASS_LIMIT = 1.02;

    /** The grid over [−4, 4]² with chunks of 10,000 points. */
    public static DensityGrid evaluate(ContinuousFlow flow, int npts, SolverConfig solver) {
        return evaluate(flow, npts, DEFAULT_BOX, DEFAULT_CHUNK, solver);
    }

    /** Evaluates the flow's log-density on the grid. */
    public static DensityGrid evaluate(ContinuousFlow flow, int npts, double box, int chunk, SolverConfig solver) {
        if (flow.dim() != 2) {
            throw ConfigException.of("dim", flow.dim(), "density grids are for 2-D flows");
        }
        if (npts < 2) {
            throw ConfigException.of("npts", npts, "must be >= 2");
        }
        if (!(box > 0) || Double.isInfinite(box)) {
            throw ConfigException.of("box", box, "must be > 0 and finite");
        }
        if (chunk < 1) {
            throw ConfigException.of("chunk", chunk, "must be >= 1");
        }
        double[] c = new double[npts];
        for (int j = 0; j < npts; j++) {
            c[j] = -box + 2 * box * j / (npts - 1);
        }
        int total = npts * npts;
        double[] logp = new double[total];
        long nfe = 0;
        Rng unused = Rng.seeded(0);
        for (int start = 0; start < total; start += chunk) {
            int end = Math.min(total, start + chunk);
            double[] pts = new double[2 * (end - start)];
            for (int i = start; i < end; i++) {
                pts[2 * (i - start)] = c[i % npts];
                pts[2 * (i - start) + 1] = c[i / npts];
            }
            FlowResult r = flow.logLikelihood(Tensor.of(pts, end - start, 2), solver, unused);
            r.logp().copyTo(0, logp, start, end - start);
            nfe += r.nfeForward();
        }
        double delta = 2 * box / (npts - 1);
        double mass = 0;
        for (double v : logp) {
            mass += Math.exp(v);
        }
        mass *= delta * delta;
        String warning = mass > MASS_LIMIT ? String.format(java.util.Locale.ROOT, "density mass %.4f > %.2f over [%s, %s]²:"
                + " likely a sign error in the log-density channel, or a Hutchinson estimate used for plotting", mass,
                MASS_LIMIT, -box, box) : null;
        return new DensityGrid(npts, box, c, logp, mass, nfe, warning);
    }

    /** log p at grid point (ix, iy). */
    public double logDensityAt(int ix, int iy) {
        return logDensity[iy * npts + ix];
    }

    /** p = exp(log p) as rows [iy][ix], for heat maps. */
    public double[][] density() {
        double[][] p = new double[npts][npts];
        for (int iy = 0; iy < npts; iy++) {
            for (int ix = 0; ix < npts; ix++) {
                p[iy][ix] = Math.exp(logDensity[iy * npts + ix]);
            }
        }
        return p;
    }
}
