package org.neuralode4j.stability;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.neuralode4j.NeuralOdeException;

/**
 * The violation functional F and its gradient G = Σ_k D_k Π_k over frozen constraint states, De Marinis,
 * Guglielmi, Sicilia, Tudisco (2025), {@code stability.md} §3.3, evaluated as §3.7 prescribes: per state
 * M = A + Δ, row-scaling D_k·M, the explicit S_k = Sym(D_k M) and EJML's dense symmetric eigendecomposition.
 *
 * <p>States are cut into fixed blocks of {@value #BLOCK}; blocks may run in parallel, and their partial F, G and m
 * are added in block order. The block cut does not depend on the thread count, so results are bitwise identical for
 * any number of threads (§3.7 "deterministic summation order").
 *
 * <p>Optional cheap certification (the profile of the dense block at n = 32 showed the eigendecompositions to be
 * the whole cost): a state with λ_max(S_k) &lt; δ has no positive term in F or G under either functional, and
 * δI − S_k is then positive definite. EJML's Cholesky factorisation of δI − S_k (n³/3 flops, against about 9n³ for
 * the symmetric eigendecomposition with vectors) decides this, and a successful factorisation skips the
 * eigendecomposition. A certified state enters m as 0 (λ &lt; δ), so m is then a bound only where it is ≤ 0; F, G
 * and the feasibility decision m ≤ τ are unchanged. (A Gershgorin disc bound was tried first: it certified no
 * state of a trained 32-dimensional block.)
 */
public final class ViolationFunctional implements PerturbationFunctional {
    static final int BLOCK = 64;

    private final double[] a;
    private final int n;
    private final ConstraintStates states;
    private final double delta;
    private final Functional form;
    private final int threads;
    private final boolean certify;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong decompositions = new AtomicLong();
    private final AtomicLong certified = new AtomicLong();

    /**
     * @param a       the unperturbed A, row-major n×n
     * @param states  the frozen D_k (K ≥ 1)
     * @param delta   the target δ
     * @param form    ALL or TOP
     * @param threads ≥ 1; blocks of states run on this many threads
     * @param certify skip the eigendecomposition of states certified below δ by a Cholesky factorisation
     */
    public ViolationFunctional(double[] a, ConstraintStates states, double delta, Functional form, int threads,
                               boolean certify) {
        this.n = SquareMatrices.side(a);
        if (states.n() != n) {
            throw new IllegalArgumentException("states of dimension " + states.n() + " for a " + n + "x" + n + " matrix");
        }
        if (states.size() == 0) {
            throw new StabilityException(StabilityException.Kind.NO_STATES,
                    "no constraint states: give a non-empty training set (--samples >= 1)");
        }
        if (threads < 1) {
            throw new StabilityException(StabilityException.Kind.UNSUPPORTED, "threads = " + threads + ": must be >= 1");
        }
        this.a = a.clone();
        this.states = states;
        this.delta = delta;
        this.form = form;
        this.threads = threads;
        this.certify = certify;
    }

    /** F, G and m at A + Δ. */
    @Override
    public Evaluation evaluate(double[] perturbation) {
        evaluations.incrementAndGet();
        double[] m = SquareMatrices.plusScaled(a, 1.0, perturbation);
        int blocks = (states.size() + BLOCK - 1) / BLOCK;
        Partial[] parts = new Partial[blocks];
        if (threads == 1 || blocks == 1) {
            for (int p = 0; p < blocks; p++) {
                parts[p] = block(m, p);
            }
        } else {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(p -> parts[p] = block(m, p))).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NeuralOdeException("stabilisation interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new NeuralOdeException("a stabilisation worker failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdown();
            }
        }
        double f = 0;
        double[] g = new double[n * n];
        double worst = Double.NEGATIVE_INFINITY;
        int worstK = -1;
        for (Partial p : parts) {
            f += p.f;
            for (int i = 0; i < g.length; i++) {
                g[i] += p.g[i];
            }
            if (p.worst > worst) {
                worst = p.worst;
                worstK = p.worstK;
            }
        }
        return new Evaluation(f, g, worst - delta, worstK);
    }

    /** Partial sums of one block of states. */
    private static final class Partial {
        double f;
        double[] g;
        double worst = Double.NEGATIVE_INFINITY;
        int worstK = -1;
    }

    private Partial block(double[] m, int p) {
        Partial out = new Partial();
        out.g = new double[n * n];
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        EigenDecomposition_F64<DMatrixRMaj> eig = null;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = certify ? DecompositionFactory_DDRM.chol(n, true) : null;
        DMatrixRMaj shifted = certify ? new DMatrixRMaj(n, n) : null;
        double[] w = new double[n];
        int end = Math.min(states.size(), (p + 1) * BLOCK);
        for (int k = p * BLOCK; k < end; k++) {
            double[] d = states.scale(k);
            fillSym(s.data, d, m);
            if (certify && belowDelta(s.data, shifted, chol)) {
                certified.incrementAndGet();
                if (delta > out.worst) {
                    out.worst = delta;
                    out.worstK = k;
                }
                continue;
            }
            if (eig == null) {
                eig = DecompositionFactory_DDRM.eig(n, true, true);
            }
            decompositions.incrementAndGet();
            if (!eig.decompose(s)) {
                throw new StabilityException(StabilityException.Kind.NON_FINITE, "the eigensolver failed at constraint"
                        + " state k = " + k + ": check the model for NaN or Inf weights");
            }
            int top = 0;
            for (int i = 0; i < n; i++) {
                w[i] = eig.getEigenvalue(i).real;
                if (!Double.isFinite(w[i])) {
                    throw new StabilityException(StabilityException.Kind.NON_FINITE, "eigenvalue " + w[i]
                            + " at constraint state k = " + k + ": check the model for NaN or Inf weights");
                }
                if (w[i] > w[top]) {
                    top = i;
                }
            }
            if (w[top] > out.worst) {
                out.worst = w[top];
                out.worstK = k;
            }
            for (int i = 0; i < n; i++) {
                double excess = w[i] - delta;
                if (excess > 0 && (form == Functional.ALL || i == top)) {
                    out.f += 0.5 * excess * excess;
                    addScaledOuter(out.g, d, excess, eig.getEigenVector(i).data);
                }
            }
        }
        return out;
    }

    /**
     * The states whose λ_max(S_k) at A + Δ is not certified below {@code level} by a Cholesky factorisation of
     * level·I − S_k, i.e. those with λ_max ≥ level (up to rounding), ascending. One factorisation per state, no
     * eigendecomposition, not counted as an F evaluation.
     */
    int[] statesReaching(double[] perturbation, double level) {
        double[] m = SquareMatrices.plusScaled(a, 1.0, perturbation);
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        DMatrixRMaj shifted = new DMatrixRMaj(n, n);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        int[] out = new int[states.size()];
        int count = 0;
        for (int k = 0; k < states.size(); k++) {
            fillSym(s.data, states.scale(k), m);
            if (!below(s.data, level, shifted, chol)) {
                out[count++] = k;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /** s = ½(D M + (D M)ᵀ), i.e. s_ij = ½(d_i m_ij + d_j m_ji). */
    private void fillSym(double[] s, double[] d, double[] m) {
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = 0.5 * (d[i] * m[i * n + j] + d[j] * m[j * n + i]);
                s[i * n + j] = v;
                s[j * n + i] = v;
            }
        }
    }

    /** True when δI − S is positive definite (its Cholesky factorisation succeeds), i.e. λ_max(S) &lt; δ. */
    private boolean belowDelta(double[] s, DMatrixRMaj shifted, CholeskyDecomposition_F64<DMatrixRMaj> chol) {
        return below(s, delta, shifted, chol);
    }

    /** True when level·I − S is positive definite, i.e. λ_max(S) &lt; level. */
    private boolean below(double[] s, double level, DMatrixRMaj shifted, CholeskyDecomposition_F64<DMatrixRMaj> chol) {
        double[] t = shifted.data;
        for (int i = 0; i < t.length; i++) {
            t[i] = -s[i];
        }
        for (int i = 0; i < n; i++) {
            t[i * n + i] += level;
        }
        return chol.decompose(shifted);
    }

    /** g += c·D v vᵀ for a unit v (normalised here: EJML's vectors are unit up to rounding). */
    private void addScaledOuter(double[] g, double[] d, double c, double[] v) {
        double nn = 0;
        for (double x : v) {
            nn += x * x;
        }
        double scale = c / nn;
        for (int r = 0; r < n; r++) {
            double dr = scale * d[r] * v[r];
            for (int col = 0; col < n; col++) {
                g[r * n + col] += dr * v[col];
            }
        }
    }

    public int n() {
        return n;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return n;
    }

    public double delta() {
        return delta;
    }

    /** ALL or TOP. */
    Functional form() {
        return form;
    }

    /** Threads over blocks of states. */
    int threads() {
        return threads;
    }

    /** Whether states certified below δ skip the eigendecomposition. */
    boolean certifies() {
        return certify;
    }

    public ConstraintStates states() {
        return states;
    }

    /** The unperturbed A (a copy). */
    public double[] base() {
        return a.clone();
    }

    /** F evaluations so far. */
    @Override
    public long evaluations() {
        return evaluations.get();
    }

    /** Dense eigendecompositions so far. */
    @Override
    public long decompositions() {
        return decompositions.get();
    }

    /** States certified below δ by a Cholesky factorisation, without an eigendecomposition, so far. */
    public long certified() {
        return certified.get();
    }
}
