package org.neuralode4j.spark.study;

import org.apache.spark.api.java.function.Function;
import org.neuralode4j.cli.studies.Environment;
import org.neuralode4j.cli.studies.Plan;
import org.neuralode4j.cli.studies.RunFiles;
import org.neuralode4j.cli.studies.RunResult;
import org.neuralode4j.cli.studies.StudyRunner;
import org.neuralode4j.cli.studies.Study;

/**
 * The Spark task of one study run: rebuild the plan, execute the run through the local runner's code path
 * ({@link StudyRunner#execute}) and return its result as the JSON of a run file. An exception fails the task, which
 * Spark then retries.
 */
final class ExecuteRun implements Function<Integer, String>, java.io.Serializable {
    private final StudySource source;
    private final String commit;

    /** {@code commit}: the driver's, whose jars the executors run. */
    ExecuteRun(StudySource source, String commit) {
        this.source = source;
        this.commit = commit;
    }

    @Override
    public String call(Integer index) {
        Study study = source.study();
        Plan plan = source.plan();
        RunResult r = StudyRunner.execute(study, plan.runs().get(index), Environment.current(commit));
        return RunFiles.toJson(study.name(), plan.mode(), r);
    }
}
