package org.neuralode4j.cli.options;

import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.ode.BatchMode;
import org.neuralode4j.ode.GradientMethod;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.ode.control.StepControl;
import org.neuralode4j.ode.tableau.Dopri5;
import org.neuralode4j.ode.tableau.Tableau;
import org.neuralode4j.ode.tableau.Tableaus;
import org.neuralode4j.sensitivity.GradientMethods;
import picocli.CommandLine.Option;

/** Solver and gradient-method options shared by train, eval and the demo (turned into core records here). */
public final class SolverOptions {
    @Option(names = "--solver", description = "Runge-Kutta method: dopri5, tsit5, bosh3, dop853, heun, or fixed-step rk4,"
            + " euler, midpoint with --steps (default ${DEFAULT-VALUE}; rk4 for --arch lognorm).")
    public String solver = "dopri5";

    @Option(names = "--steps", description = "Steps over [0, 1] of a fixed-step --solver (default ${DEFAULT-VALUE}).")
    public int steps = 10;

    @Option(names = "--rtol", description = "Relative tolerance (default ${DEFAULT-VALUE}).")
    public double rtol = 1e-3;

    @Option(names = "--atol", description = "Absolute tolerance (default ${DEFAULT-VALUE}).")
    public double atol = 1e-3;

    @Option(names = "--step-control", description = "torchdiffeq (the compatible dopri5 rules) or standard (I controller, "
            + "steps clipped at t1) (default ${DEFAULT-VALUE}).")
    public String stepControl = "torchdiffeq";

    @Option(names = "--batch-mode", description = "batch-wide or per-sample step control (default ${DEFAULT-VALUE}).")
    public String batchMode = "batch-wide";

    @Option(names = "--max-steps", description = "Most attempted steps per solve (default ${DEFAULT-VALUE}); a diverging "
            + "model stops here instead of recording an ever longer solve.")
    public int maxSteps = 2000;

    @Option(names = "--gradient", description = "direct (backpropagate through the solver), checkpointed (the same, memory"
            + " bounded by checkpoints), adjoint (backsolve adjoint) or interpolated (interpolated adjoint) (default ${DEFAULT-VALUE}).")
    public String gradient = "direct";

    /** The solver configuration, checked. */
    public SolverConfig config() {
        Tolerances.rtol("--rtol", rtol);
        Tolerances.atol("--atol", atol);
        String sc = stepControl.toLowerCase(Locale.ROOT);
        Tableau tab;
        if (solver.equalsIgnoreCase("dopri5") && sc.equals("torchdiffeq")) {
            tab = Dopri5.TORCHDIFFEQ;
        } else {
            tab = Tableaus.byName(solver);
        }
        if (!tab.adaptive()) {
            if (steps < 1) {
                throw new NeuralOdeException("--steps must be >= 1 for the fixed-step --solver " + solver + " (got " + steps + ")");
            }
            // fixed steps on the ALIGNED grid: output times are step points (solvers.md §4)
            return SolverConfig.fixed(tab, org.neuralode4j.ode.control.FixedSteps.ofCount(steps));
        }
        StepControl control;
        switch (sc) {
            case "torchdiffeq":
                control = StepControl.torchdiffeqDopri5(rtol, atol);
                break;
            case "standard":
                control = StepControl.of(rtol, atol);
                break;
            default:
                throw new NeuralOdeException("--step-control " + stepControl + " is unknown: use torchdiffeq or standard");
        }
        BatchMode mode;
        switch (batchMode.toLowerCase(Locale.ROOT)) {
            case "batch-wide":
                mode = BatchMode.BATCH_WIDE;
                break;
            case "per-sample":
                mode = BatchMode.PER_SAMPLE;
                break;
            default:
                throw new NeuralOdeException("--batch-mode " + batchMode + " is unknown: use batch-wide or per-sample");
        }
        if (maxSteps < 1) {
            throw new NeuralOdeException("--max-steps must be >= 1 (got " + maxSteps + ")");
        }
        return SolverConfig.adaptive(tab, control).withBatchMode(mode)
                .withLimits(org.neuralode4j.ode.control.Limits.defaults().withMaxSteps(maxSteps));
    }

    /** The gradient method. */
    public GradientMethod method() {
        String name = checkedGradient(gradient);
        if (name.equals("checkpointed") && batchMode.toLowerCase(Locale.ROOT).equals("per-sample")) {
            // Checked here, before any output is written, rather than at the first solve.
            throw new NeuralOdeException("--gradient checkpointed replays one step sequence for the whole batch: use"
                    + " --batch-mode batch-wide, or another --gradient with per-sample control");
        }
        return GradientMethods.byName(name);
    }

    /** The name, lower-cased, or a one-line error naming the accepted ones (shared with the density options). */
    public static String checkedGradient(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!GradientMethods.NAMES.contains(n)) {
            throw new NeuralOdeException("--gradient " + name + " is unknown: use " + String.join(", ", GradientMethods.NAMES));
        }
        return n;
    }
}
