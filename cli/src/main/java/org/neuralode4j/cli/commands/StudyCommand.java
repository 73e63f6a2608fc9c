package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.ConditioningStudy;
import org.neuralode4j.cli.studies.RnodeStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code study conditioning --out DIR [--quick]}: reproduces a paper's claims and writes report.md with verdicts. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a paper's study: conditioning (Josias & Brink 2022) or rnode (Finlay et al. 2020). Writes"
                + " report.md, results.json and plots.")
public final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which study: conditioning or rnode.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder.")
    Path out;

    @Option(names = "--quick", description = "Smaller data, fewer epochs and analysis points (a few minutes).")
    boolean quick;

    @Option(names = "--threads", description = "Runs in parallel (default ${DEFAULT-VALUE}).")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new NeuralOdeException("--threads must be >= 1 (got " + threads + ")");
        }
        Map<String, Object> r;
        switch (name) {
            case "conditioning":
                r = ConditioningStudy.run(quick ? ConditioningStudy.Plan.quickPlan() : ConditioningStudy.Plan.fullPlan(),
                        new OutputDir(out), threads, System.out);
                break;
            case "rnode":
                r = RnodeStudy.run(quick ? RnodeStudy.Plan.quickPlan() : RnodeStudy.Plan.fullPlan(), new OutputDir(out),
                        threads, System.out);
                break;
            default:
                throw new NeuralOdeException("study '" + name + "' is unknown: available: conditioning, rnode"
                        + " (irdm and lognorm follow)");
        }
        System.out.println("verdicts: " + r.get("verdicts"));
        System.out.println("report: " + out.resolve("report.md"));
        return 0;
    }
}
