package org.neuralode4j.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code density train|eval|sample}: continuous normalising flows (FFJORD, RNODE) for density estimation. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Density estimation with continuous normalising flows (FFJORD; RNODE regularisers): train a flow on"
                + " a 2-D toy or your CSV, evaluate its held-out NLL, draw samples.",
        subcommands = {DensityTrainCommand.class, DensityEvalCommand.class, DensitySampleCommand.class,
            CommandLine.HelpCommand.class})
public final class DensityCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
