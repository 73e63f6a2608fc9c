package org.neuralode4j.spark.study;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.Environment;
import org.neuralode4j.cli.studies.Plan;
import org.neuralode4j.cli.studies.Run;
import org.neuralode4j.cli.studies.RunFiles;
import org.neuralode4j.cli.studies.RunResult;
import org.neuralode4j.cli.studies.Study;
import org.neuralode4j.cli.studies.StudyRunner;

/**
 * Executes a study's plan on Spark, one task per run, and writes the very report a local run writes: each result is
 * recorded as the run file the local runner would write, then {@link StudyRunner#merge} makes the report.
 *
 * <p>Each run is its own one-task job rather than one partition of a single job: a task that exhausts its attempts
 * then fails only its own job, and the driver records that run as failed while the others go on (a single job would
 * be aborted as a whole). Untimed runs are submitted together and run as executor cores free up; timed runs follow,
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
        StudyRunner runner = new StudyRunner(study, plan, 1, log);
        List<Run> untimed = plan.runs().stream().filter(r -> !r.timed()).toList();
        List<Run> timed = plan.runs().stream().filter(Run::timed).toList();
        int[] done = {0};
        Map<Run, JavaFutureAction<List<String>>> jobs = new LinkedHashMap<>();
        for (Run r : untimed) {
            jobs.put(r, submit(source, r));
        }
        jobs.forEach((r, job) -> record(runner, study, plan, out, r, job, ++done[0]));
        for (Run r : timed) {
            record(runner, study, plan, out, r, submit(source, r), ++done[0]);
        }
        return runner.merge(List.of(out.dir()), out, source.command());
    }

    private JavaFutureAction<List<String>> submit(StudySource source, Run r) {
        spark.setJobDescription("run " + r.index() + ": " + r.label());
        return spark.parallelize(List.of(r.index()), 1).map(new ExecuteRun(source)).collectAsync();
    }

    /** Waits for one run's job and records its result, or the run as failed when its task ran out of attempts. */
    private void record(StudyRunner runner, Study study, Plan plan, OutputDir out, Run r,
                        JavaFutureAction<List<String>> job, int done) {
        long t0 = System.nanoTime();
        RunResult result;
        try {
            String json = job.get().get(0);
            result = RunFiles.fromJson(json, "the result of run " + r.index(), study.name(), plan);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuralOdeException("study interrupted");
        } catch (ExecutionException e) {
            Environment env = Environment.current();
            result = RunResult.failed(r, failure(e.getCause()), (System.nanoTime() - t0) / 1e9, env.machine(),
                    env.date());
        }
        runner.record(out, result);
        log.printf("run %d/%d  #%d %s  %s%n", done, plan.runs().size(), r.index(), r.label(),
                result.failed() ? "FAILED: " + result.failure() : String.format("%.1f s", result.seconds()));
    }

    /** The task's own error from Spark's job-abort message, on one line. */
    static String failure(Throwable t) {
        String m = t == null || t.getMessage() == null ? String.valueOf(t) : t.getMessage();
        String first = m.split("\n")[0];
        int at = first.indexOf("most recent failure: ");
        String attempts = first.replaceAll(".*failed (\\d+) times?.*", "$1");
        String why = at >= 0 ? first.substring(at + "most recent failure: ".length()) : first;
        why = why.replaceFirst("^Lost task [^:]*\\): ", "");
        return (attempts.matches("\\d+") ? "failed " + attempts + " attempt(s): " : "") + why;
    }
}
