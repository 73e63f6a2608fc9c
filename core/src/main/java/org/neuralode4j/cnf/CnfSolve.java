package org.neuralode4j.cnf;

import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;

/**
 * How a CNF is integrated for one likelihood pass (cnf.md §1.7–1.8, §2, §3): the solver, the gradient method,
 * the divergence estimator and the RNODE channels. Immutable; change with the {@code withX} copies.
 *
 * <p>The step-control mask is derived, not given: z and ℓ always count; the channels count when
 * {@link RnodeChannels#inStepControl()} says so. Fixed-grid solvers (e.g. RK4 with 4 steps, RNODE's MNIST
 * recipe) ignore it.
 *
 * @param solver                   the forward solver (adaptive or fixed grid)
 * @param method                   DIRECT, BACKSOLVE_ADJOINT or INTERPOLATED_ADJOINT
 * @param divergence               exact, Hutchinson or AUTO (resolved per block from its D)
 * @param channels                 RNODE channels ({@link RnodeChannels#none()} for plain maximum likelihood)
 * @param allowLearnedTWithKinetic permit a learned T together with the kinetic channel (refused by default: the
 *                                 kinetic penalty alone drives T upward, cnf.md §1.5)
 */
public record CnfSolve(SolverConfig solver, GradientMethod method, Divergence divergence, RnodeChannels channels,
                       boolean allowLearnedTWithKinetic) {
    public CnfSolve {
        if (solver == null || method == null || divergence == null || channels == null) {
            throw new ConfigException("cnf solve: solver, method, divergence and channels are required");
        }
    }

    /** The given solver and gradient method, AUTO divergence, no channels. */
    public static CnfSolve of(SolverConfig solver, GradientMethod method) {
        return new CnfSolve(solver, method, Divergence.auto(), RnodeChannels.none(), false);
    }

    /** W2's solver (workloads.md §0, §2): torchdiffeq-compatible dopri5 at rtol = atol = 1e-5. */
    public static SolverConfig w2Solver() {
        return SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(1e-5, 1e-5));
    }

    /**
     * A W2 training pass (workloads.md §2): {@link #w2Solver()}, BACKSOLVE_ADJOINT in its torchdiffeq-compatible
     * configuration, the given divergence and channels ({@link RnodeChannels#w2()} for the rnode variants).
     */
    public static CnfSolve w2(Divergence divergence, RnodeChannels channels) {
        return new CnfSolve(w2Solver(), BacksolveAdjoint.torchdiffeqCompatible(), divergence, channels, false);
    }

    /** Evaluation (cnf.md §1.7, §2.3): the given solver, DIRECT (run it under no-grad), AUTO divergence, no channels. */
    public static CnfSolve evaluation(SolverConfig solver) {
        return new CnfSolve(solver, new Direct(), Divergence.auto(), RnodeChannels.none(), false);
    }

    public CnfSolve withSolver(SolverConfig s) {
        return new CnfSolve(s, method, divergence, channels, allowLearnedTWithKinetic);
    }

    public CnfSolve withMethod(GradientMethod m) {
        return new CnfSolve(solver, m, divergence, channels, allowLearnedTWithKinetic);
    }

    public CnfSolve withDivergence(Divergence d) {
        return new CnfSolve(solver, method, d, channels, allowLearnedTWithKinetic);
    }

    public CnfSolve withChannels(RnodeChannels c) {
        return new CnfSolve(solver, method, divergence, c, allowLearnedTWithKinetic);
    }

    public CnfSolve withAllowLearnedTWithKinetic(boolean allow) {
        return new CnfSolve(solver, method, divergence, channels, allow);
    }
}
