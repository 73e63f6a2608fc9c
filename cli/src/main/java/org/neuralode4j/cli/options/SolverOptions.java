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
import org.neuralode4j.sensitivity.BacksolveAdjoint;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.sensitivity.InterpolatedAdjoint;
import picocli.CommandLine.Option;

/** Solver and gradient-method options shared by train, eval and the demo (turned into core records here). */
public final class SolverOptions {
    @Option(names = "--solver", description = "Runge-Kutta method: dopri5, tsit5, bosh3, dop853, heun (default ${DEFAULT-VALUE}).")
    public String solver = "dopri5";

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

    @Option(names = "--gradient", description = "direct, adjoint or interpolated (default ${DEFAULT-VALUE}).")
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
            throw new NeuralOdeException("--solver " + solver + " has no error estimate: use dopri5, tsit5, bosh3, dop853 or heun");
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
        switch (gradient.toLowerCase(Locale.ROOT)) {
            case "direct":
                return new Direct();
            case "adjoint":
                return BacksolveAdjoint.defaults();
            case "interpolated":
                return InterpolatedAdjoint.defaults();
            default:
                throw new NeuralOdeException("--gradient " + gradient + " is unknown: use direct, adjoint or interpolated");
        }
    }
}
