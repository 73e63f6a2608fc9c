package org.neuralode4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code neuralode4j bench ...}: the benchmark runners (the launcher routes {@code bench} here). */
@Command(name = "neuralode4j bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: engine kernels and the reference workloads.",
        subcommands = {EngineBench.class, SolverBench.class, W1Bench.class, W2Bench.class, W3Bench.class, GradientsBench.class, StabilizeBench.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("neuralode4j bench: " + ex.getMessage()
                    + " (see: neuralode4j bench --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof org.neuralode4j.NeuralOdeException || ex instanceof java.io.IOException) {
                cmd.getErr().println("neuralode4j bench " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        System.exit(cl.execute(args));
    }
}
