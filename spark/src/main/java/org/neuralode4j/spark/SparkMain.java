package org.neuralode4j.spark;

import org.neuralode4j.cli.Main;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code neuralode4j spark ...}: the spark commands under the CLI's root name, run with the CLI's error
 * policy (one line on stderr, exit 2, no stack trace for user errors). Kept apart from the CLI's own entry point so
 * that the CLI jar never needs Spark on its class path.
 */
public final class SparkMain {
    private SparkMain() {}

    /** The root command: only {@code spark}; everything else is the CLI jar's. */
    @Command(name = "neuralode4j", mixinStandardHelpOptions = true, subcommands = SparkCommand.class,
            description = "Neural ODE studies, sweeps and batch prediction on Apache Spark.")
    static final class Root implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code spark ...} arguments and returns the exit code (for tests). */
    public static int run(String... args) {
        Sessions.quietLogging();
        return Main.run(new Root(), args);
    }
}
