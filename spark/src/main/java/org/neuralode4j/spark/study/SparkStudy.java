package org.neuralode4j.spark.study;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.ConditionalRuns;
import org.neuralode4j.cli.studies.Environment;
import org.neuralode4j.cli.studies.Plan;
import org.neuralode4j.cli.studies.Results;
import org.neuralode4j.cli.studies.Run;
import org.neuralode4j.cli.studies.RunFiles;
import org.neuralode4j.cli.studies.RunResult;
import org.neuralode4j.cli.studies.Study;
import org.neuralode4j.cli.studies.StudyRunner;
import org.neuralode4j.spark.OneTaskJobs;

/**
 * Executes a study's plan on Spark, one task per run, and writes the very report a local run writes: each result is
 * recorded as the run file the local runner would write, then {@link StudyRunner#merge} makes the report.
 *
 * <p>Each run is its own one-task job ({@link OneTaskJobs}), so a run that exhausts its attempts is recorded as failed
 * while the others go on. Untimed runs are submitted together and run as executor cores free up; timed runs follow,
 * one at a time, as in the local runner.
 */
public final class SparkStudy {
    private final JavaSparkContext spark;
    private final PrintStream log;

    public SparkStudy(JavaSparkContext spark, PrintStream log) {
        this.spark = spark;
        this.log = log;
    }

    /** Runs every run of the plan into {@code out/runs} and writes the report; returns results.json's content. */
    public Map<String, Object> run(StudySource source, OutputDir out) {
        Study study = source.study();
        Plan plan = source.plan();
        // On the driver, before any task: a missing data set is one line now, not a failed run per task later.
        study.checkInputs(plan.runs());
        StudyRunner runner = new StudyRunner(study, plan, 1, log);
        ConditionalRuns conditional = new ConditionalRuns(study, plan);
        String commit = Environment.current().commit();
        int[] done = {0};
        execute(source, runner, plan, out, conditional.unconditional(plan.runs()), commit, done);
        // Conditional runs last: the pre-registered selection reads the results recorded so far.
        List<Run> later = conditional.conditional(plan.runs());
        if (!later.isEmpty()) {
            Results known = new Results(RunFiles.read(out.dir(), study.name(), plan));
            execute(source, runner, plan, out, conditional.needed(later, known), commit, done);
        }
        return runner.merge(List.of(out.dir()), out, source.command());
    }

    /** Untimed runs submitted together, then timed runs one at a time, each recorded as it finishes. */
    private void execute(StudySource source, StudyRunner runner, Plan plan, OutputDir out, List<Run> runs, String commit,
                         int[] done) {
        Study study = source.study();
        Map<Run, JavaFutureAction<List<String>>> jobs = new LinkedHashMap<>();
        for (Run r : runs) {
            if (!r.timed()) {
                jobs.put(r, submit(source, r, commit));
            }
        }
        jobs.forEach((r, job) -> record(runner, study, plan, out, r, job, ++done[0]));
        for (Run r : runs) {
            if (r.timed()) {
                record(runner, study, plan, out, r, submit(source, r, commit), ++done[0]);
            }
        }
    }

    private JavaFutureAction<List<String>> submit(StudySource source, Run r, String commit) {
        return OneTaskJobs.submit(spark, r.index(), new ExecuteRun(source, commit), "run " + r.index() + ": " + r.label());
    }

    /** Waits for one run's job and records its result, or the run as failed when its task ran out of attempts. */
    private void record(StudyRunner runner, Study study, Plan plan, OutputDir out, Run r,
                        JavaFutureAction<List<String>> job, int done) {
        long t0 = System.nanoTime();
        OneTaskJobs.Outcome o = OneTaskJobs.await(job);
        RunResult result;
        if (o.failed()) {
            Environment env = Environment.current();
            result = RunResult.failed(r, o.failure(), (System.nanoTime() - t0) / 1e9, env.machine(), env.date());
        } else {
            result = RunFiles.fromJson(o.value(), "the result of run " + r.index(), study.name(), plan);
        }
        runner.record(out, result);
        log.printf("run %d/%d  #%d %s  %s%n", done, plan.runs().size(), r.index(), r.label(),
                result.failed() ? "FAILED: " + result.failure() : String.format("%.1f s", result.seconds()));
    }
}
