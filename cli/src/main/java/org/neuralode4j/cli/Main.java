package org.neuralode4j.cli;

import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.commands.AnalyzeCommand;
import org.neuralode4j.cli.commands.DemoCommand;
import org.neuralode4j.cli.commands.EvalCommand;
import org.neuralode4j.cli.commands.PredictCommand;
import org.neuralode4j.cli.commands.StudyCommand;
import org.neuralode4j.cli.commands.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code neuralode4j} command. Library errors ({@link NeuralOdeException}) and bad options become one line on
 * stderr and exit code 2, without a stack trace; anything else is a bug and keeps its trace.
 */
@Command(name = "neuralode4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neural ODEs on the JVM: train, evaluate and study continuous-depth models.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, AnalyzeCommand.class, org.neuralode4j.cli.commands.StabilizeCommand.class, StudyCommand.class, org.neuralode4j.cli.commands.DensityCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for user errors: bad options, malformed files, failed solves. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return run(new Main(), args);
    }

    /**
     * Runs a command tree with the CLI's error policy (one line on stderr, exit 2, no trace for user errors): the
     * entry point of modules that add commands of their own, such as {@code neuralode4j spark}.
     */
    public static int run(Object root, String... args) {
        return run(root, null, args);
    }

    /** As {@link #run(Object, String...)}, with the one-line errors going to {@code err} (null: stderr). */
    public static int run(Object root, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(root);
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof NeuralOdeException) {
                cmd.getErr().println("neuralode4j " + name(cmd) + ": " + ex.getMessage());
                return USER_ERROR;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("neuralode4j " + name(cmd) + ": " + ex.getMessage()
                    + " (see: neuralode4j " + qualified(cmd) + " --help)");
            return USER_ERROR;
        });
        return cl.execute(args);
    }

    /** The command as typed after "neuralode4j" ("density train"), for the one-line error messages. */
    private static String name(CommandLine cmd) {
        String q = qualified(cmd);
        return q.isEmpty() ? cmd.getCommandName() : q;
    }

    private static String qualified(CommandLine cmd) {
        String q = cmd.getCommandSpec().qualifiedName(" ");
        return q.startsWith("neuralode4j ") ? q.substring("neuralode4j ".length()) : "";
    }

    /** Version from the jar manifest, else "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"neuralode4j " + (v == null ? "dev" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kernels: " + org.neuralode4j.tensor.kernels.Kernels.describe()};
        }
    }
}
