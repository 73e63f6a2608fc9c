package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.ClassifierRun;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.ClassifierSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: trains the W1 augmented neural-ODE classifier (disk inside an annulus; a 2-D flow cannot separate
 * them without the extra dimension) for 20 epochs with dopri5, and writes the report: metrics.json, the model,
 * decision regions, trajectories, NFE and loss curves.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a neural-ODE classifier on built-in data and write a report with pictures (under a minute).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-report");

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (epochs < 1) {
            throw new org.neuralode4j.NeuralOdeException("--epochs must be >= 1 (got " + epochs + ")");
        }
        System.out.println("neuralode4j demo: augmented neural ODE on disk-annulus (W1), dopri5 rtol=atol=1e-3, direct gradients");
        ClassifierRun.Setup setup = new ClassifierRun.Setup("disk-annulus", Toys2d.diskAnnulus(2048, 0),
                Toys2d.diskAnnulus(2048, 1), ClassifierSpec.w1(), new SolverOptions(), epochs, 256, 1e-2, 0, 1, !noProgress);
        ClassifierRun.run(setup, new OutputDir(out), System.out);
        return 0;
    }
}
