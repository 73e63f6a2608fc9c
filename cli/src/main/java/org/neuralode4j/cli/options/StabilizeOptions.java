package org.neuralode4j.cli.options;

import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.stability.FineTune;
import org.neuralode4j.stability.Functional;
import org.neuralode4j.stability.Rebase;
import org.neuralode4j.stability.StabilityOptions;
import picocli.CommandLine.Option;

/** The log-norm stabiliser's options (stability.md §3.10, §4.4), shared by {@code stabilize} and {@code train}. */
public final class StabilizeOptions {
    @Option(names = "--delta", description = "Target log norm delta: mu2 <= delta at the constraint states (default ${DEFAULT-VALUE}).")
    public double delta = 0.0;

    @Option(names = "--tau", description = "Feasibility tolerance on mu2 - delta (default ${DEFAULT-VALUE}).")
    public double tau = 1e-3;

    @Option(names = "--rounds", description = "Stabilisation rounds, each re-collecting the states (default ${DEFAULT-VALUE}).")
    public int rounds = 3;

    @Option(names = "--rebase", description = "original (perturb the trained A against all states so far) or current (default ${DEFAULT-VALUE}).")
    public String rebase = "original";

    @Option(names = "--functional", description = "all (every eigenvalue above delta) or top (default ${DEFAULT-VALUE}).")
    public String functional = "all";

    @Option(names = "--finetune", description = "head, encoder (encoder and head) or none: 1 epoch with A and b frozen (default ${DEFAULT-VALUE}).")
    public String finetune = "head";

    @Option(names = "--samples", description = "Training inputs whose trajectories give the constraint states (default ${DEFAULT-VALUE}).")
    public int samples = 128;

    @Option(names = "--grid", description = "Time intervals M: states at t = j/M, j = 0..M (default ${DEFAULT-VALUE}).")
    public int grid = 10;

    @Option(names = "--rank", description = "Rank r of the perturbation (stability.md §3.8, truncated inner flow); 0 = full rank (default ${DEFAULT-VALUE}).")
    public int rank = 0;

    @Option(names = "--active-margin", paramLabel = "M", description = "Active set (stability.md §3.7): inner"
            + " iterations use only the states with mu2 > delta - M; feasibility is still checked on all states"
            + " (default: off).")
    public Double activeMargin;

    /** The stabiliser's options with these values and the §3.10 defaults for the rest. */
    public StabilityOptions options(long seed) {
        if (!Double.isFinite(delta)) {
            throw new NeuralOdeException("--delta must be a finite number (got " + delta + ")");
        }
        if (samples < 1 || grid < 1 || rounds < 1) {
            throw new NeuralOdeException("--samples, --grid and --rounds must be >= 1 (got " + samples + ", " + grid
                    + ", " + rounds + ")");
        }
        Rebase rb = switch (rebase.toLowerCase(Locale.ROOT)) {
            case "original" -> Rebase.ORIGINAL;
            case "current" -> Rebase.CURRENT;
            default -> throw new NeuralOdeException("--rebase " + rebase + " is unknown: use original or current");
        };
        Functional f = switch (functional.toLowerCase(Locale.ROOT)) {
            case "all" -> Functional.ALL;
            case "top" -> Functional.TOP;
            default -> throw new NeuralOdeException("--functional " + functional + " is unknown: use all or top");
        };
        if (activeMargin != null && !(activeMargin >= 0 && Double.isFinite(activeMargin))) {
            throw new NeuralOdeException("--active-margin must be a finite number >= 0 (got " + activeMargin + ")");
        }
        StabilityOptions d = StabilityOptions.defaults(delta);
        return d.withTolerances(tau, d.relTol(), d.maxInner()).withFunctional(f).withRounds(rounds, rb)
                .withSampling(samples, grid, seed).withRank(rank)
                .withActiveMargin(activeMargin == null ? Double.NaN : activeMargin);
    }

    public FineTune fineTune() {
        return switch (finetune.toLowerCase(Locale.ROOT)) {
            case "head" -> FineTune.HEAD;
            case "encoder", "encoder-and-head" -> FineTune.ENCODER_AND_HEAD;
            case "none" -> FineTune.NONE;
            default -> throw new NeuralOdeException("--finetune " + finetune + " is unknown: use head, encoder or none");
        };
    }
}
