package org.neuralode4j.cli.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cnf.CnfSolve;
import org.neuralode4j.cnf.CnfSpec;
import org.neuralode4j.cnf.Divergence;
import org.neuralode4j.cnf.EndTime;
import org.neuralode4j.cnf.ProbeNoise;
import org.neuralode4j.cnf.RnodeChannels;
import org.neuralode4j.nn.Activation;
import org.neuralode4j.nn.TimeInput;
import org.neuralode4j.ode.ConfigException;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.FixedSteps;
import org.neuralode4j.ode.control.Limits;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.ode.tableau.Tableaus;
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import picocli.CommandLine.Option;

/**
 * Architecture, divergence estimator, RNODE regularisers, solver and gradient method of a continuous normalising
 * flow (cnf.md §1–§4), turned into core records here. Every check names its option.
 */
public final class CnfOptions {
    /** Adaptive methods (an error estimate); the others need {@code --steps}. */
    static final String ADAPTIVE = "dopri5, tsit5, bosh3, dop853, heun";
    static final String FIXED = "rk4, rk4_38, midpoint, euler";

    @Option(names = "--hidden", paramLabel = "W,W,...", description = "Hidden widths of each block's ConcatSquash MLP field"
            + " (default ${DEFAULT-VALUE}, 9224 parameters in 2-D as FFJORD's toys).")
    public String hidden = "64,64,64";

    @Option(names = "--activation", description = "Hidden activation: tanh or softplus (default ${DEFAULT-VALUE}).")
    public String activation = "tanh";

    @Option(names = "--blocks", description = "Stacked CNF blocks, each with its own field and end time (default ${DEFAULT-VALUE}).")
    public int blocks = 1;

    @Option(names = "--end-time", paramLabel = "T", description = "Each block's end time T (default ${DEFAULT-VALUE}, as W2; RNODE uses 1).")
    public double endTime = 0.5;

    @Option(names = "--learn-end-time", description = "Train T (as FFJORD's toys: T = q², starting from --end-time);"
            + " not with --kinetic.")
    public boolean learnEndTime;

    @Option(names = "--divergence", description = "Trace estimator: exact, hutchinson-gaussian, hutchinson-rademacher or"
            + " auto (exact up to 8 dimensions) (default ${DEFAULT-VALUE}). Evaluation always uses the exact trace up to 8"
            + " dimensions.")
    public String divergence = "auto";

    @Option(names = "--kinetic", paramLabel = "LAMBDA", description = "RNODE kinetic-energy weight λ_K on mean ∫‖f‖²/(2D) dt"
            + " (default ${DEFAULT-VALUE}: off; RNODE uses 0.01).")
    public double kinetic = 0;

    @Option(names = "--jacobian", paramLabel = "LAMBDA", description = "RNODE Jacobian weight λ_J on mean ∫‖∂f/∂z‖²_F/D dt"
            + " (exact from the trace's rows with the exact divergence, else Hutchinson sharing its probe)"
            + " (default ${DEFAULT-VALUE}: off; RNODE uses 0.01).")
    public double jacobian = 0;

    @Option(names = "--reg-in-step-control", description = "Let the RNODE channels join the adaptive error norm"
            + " (off by default, as RNODE; W2 has them in).")
    public boolean regInStepControl;

    @Option(names = "--method", description = "Training solver: adaptive " + ADAPTIVE + ", or fixed-grid " + FIXED
            + " with --steps (default ${DEFAULT-VALUE}).")
    public String method = "dopri5";

    @Option(names = "--steps", paramLabel = "N", description = "Fixed grid of N steps per block for training (any --method;"
            + " 0 = adaptive) (default ${DEFAULT-VALUE}). Evaluation stays adaptive.")
    public int steps = 0;

    @Option(names = "--rtol", description = "Relative tolerance of the adaptive training solver (default ${DEFAULT-VALUE}).")
    public double rtol = 1e-5;

    @Option(names = "--atol", description = "Absolute tolerance of the adaptive training solver (default ${DEFAULT-VALUE}).")
    public double atol = 1e-5;

    @Option(names = "--eval-tol", description = "rtol = atol of the dopri5 solver used for held-out NLL, grids, samples"
            + " and trajectories (default ${DEFAULT-VALUE}).")
    public double evalTol = 1e-5;

    @Option(names = "--max-steps", description = "Most attempted steps per solve (default ${DEFAULT-VALUE}); a diverging"
            + " model stops here with a message instead of recording an ever longer solve.")
    public int maxSteps = 2000;

    @Option(names = "--gradient", description = "direct (backpropagate through the solver), adjoint (backsolve adjoint) or"
            + " interpolated (interpolated adjoint) (default ${DEFAULT-VALUE}).")
    public String gradient = "direct";

    /** The hidden widths, checked. */
    public List<Integer> hiddenWidths() {
        List<Integer> out = new ArrayList<>();
        for (String part : hidden.split(",", -1)) {
            int w;
            try {
                w = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new NeuralOdeException("--hidden " + hidden + ": '" + part.trim() + "' is not a whole number"
                        + " (give widths like 64,64,64)");
            }
            if (w < 1 || w > Counts.MAX_WIDTH) {
                throw new NeuralOdeException("--hidden " + hidden + ": widths must be from 1 to " + Counts.MAX_WIDTH
                        + " (got " + w + ")");
            }
            out.add(w);
        }
        return out;
    }

    /** The architecture for data of {@code dim} columns. */
    public CnfSpec spec(int dim) {
        List<Integer> widths = hiddenWidths();
        Activation act = switch (activation.toLowerCase(Locale.ROOT)) {
            case "tanh" -> Activation.TANH;
            case "softplus" -> Activation.SOFTPLUS;
            default -> throw new NeuralOdeException("--activation " + activation + " is unknown: use tanh or softplus");
        };
        Counts.check("--blocks", blocks, 1, 64);
        if (!(endTime > 0) || Double.isInfinite(endTime)) {
            throw new NeuralOdeException("--end-time must be a positive number (got " + endTime + ")");
        }
        EndTime t = learnEndTime ? EndTime.learned(endTime) : EndTime.fixed(endTime);
        return new CnfSpec(dim, widths, act, TimeInput.CONCAT_SQUASH, blocks, t, false);
    }

    /** The divergence estimator of training. */
    public Divergence divergence() {
        return switch (divergence.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "exact" -> Divergence.exact();
            case "auto" -> Divergence.auto();
            case "hutchinson", "hutchinson-gaussian" -> Divergence.hutchinson(ProbeNoise.GAUSSIAN);
            case "hutchinson-rademacher" -> Divergence.hutchinson(ProbeNoise.RADEMACHER);
            default -> throw new NeuralOdeException("--divergence " + divergence
                    + " is unknown: use exact, hutchinson-gaussian, hutchinson-rademacher or auto");
        };
    }

    /** RNODE's channels with the given weights (RNODE_MEAN; exact ‖J‖²_F from the rows under the exact trace). */
    public RnodeChannels channels() {
        checkWeight("--kinetic", kinetic);
        checkWeight("--jacobian", jacobian);
        if (learnEndTime && kinetic > 0) {
            throw new NeuralOdeException("--learn-end-time cannot be combined with --kinetic: the kinetic penalty alone"
                    + " drives T upward (cnf.md §1.5); drop one of them");
        }
        return RnodeChannels.rnode().withWeights(kinetic, jacobian).withStepControl(regInStepControl);
    }

    private static void checkWeight(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new NeuralOdeException(name + " must be a number >= 0 (got " + w + ")");
        }
    }

    /** The training solver: adaptive at --rtol/--atol, or a fixed grid of --steps steps. */
    public SolverConfig trainingSolver() {
        if (steps < 0 || steps > 100_000) {
            throw new NeuralOdeException("--steps must be from 0 to 100000 (got " + steps + "; 0 = adaptive)");
        }
        if (maxSteps < 1) {
            throw new NeuralOdeException("--max-steps must be >= 1 (got " + maxSteps + ")");
        }
        Tableau tab = tableau(method);
        Limits limits = Limits.defaults().withMaxSteps(maxSteps);
        if (steps > 0) {
            return SolverConfig.fixed(tab, FixedSteps.ofCount(steps)).withLimits(limits);
        }
        if (!tab.adaptive()) {
            throw new NeuralOdeException("--method " + method + " has no error estimate: give --steps N for a fixed grid,"
                    + " or use an adaptive method (" + ADAPTIVE + ")");
        }
        checkTolerances("--rtol", rtol, "--atol", atol);
        return SolverConfig.adaptive(tab, StepControl.torchdiffeqDopri5(rtol, atol)).withLimits(limits);
    }

    /** The evaluation solver: torchdiffeq-compatible dopri5 at rtol = atol = --eval-tol. */
    public SolverConfig evaluationSolver() {
        return evaluationSolver(evalTol, evalTol, maxSteps, "--eval-tol");
    }

    /** torchdiffeq-compatible dopri5 at the given tolerances (the evaluation solver of density runs). */
    public static SolverConfig evaluationSolver(double rtol, double atol, int maxSteps, String option) {
        checkTolerances(option, rtol, option, atol);
        return SolverConfig.adaptive(Dopri5.TORCHDIFFEQ, StepControl.torchdiffeqDopri5(rtol, atol))
                .withLimits(Limits.defaults().withMaxSteps(Math.max(1, maxSteps)));
    }

    private static void checkTolerances(String rName, double r, String aName, double a) {
        Tolerances.rtol(rName, r);
        Tolerances.atol(aName, a);
    }

    /** The gradient method. */
    public GradientMethod gradientMethod() {
        return switch (gradient.toLowerCase(Locale.ROOT)) {
            case "direct" -> new Direct();
            case "adjoint" -> BacksolveAdjoint.defaults();
            case "interpolated" -> InterpolatedAdjoint.defaults();
            default -> throw new NeuralOdeException("--gradient " + gradient + " is unknown: use direct, adjoint or interpolated");
        };
    }

    /** Everything of one training pass. */
    public CnfSolve trainingSolve() {
        return new CnfSolve(trainingSolver(), gradientMethod(), divergence(), channels(), false);
    }

    private static Tableau tableau(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (key.equals("dopri5")) {
            return Dopri5.TORCHDIFFEQ;
        }
        try {
            return Tableaus.byName(key);
        } catch (ConfigException e) {
            throw new NeuralOdeException("--method " + name + " is unknown: use " + ADAPTIVE + " (adaptive) or " + FIXED
                    + " (with --steps N)");
        }
    }
}
