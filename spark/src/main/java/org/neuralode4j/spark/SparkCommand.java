package org.neuralode4j.spark;

import org.neuralode4j.spark.predict.SparkPredictCommand;
import org.neuralode4j.spark.study.SparkStudyCommand;
import org.neuralode4j.spark.sweep.SparkSweepCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code neuralode4j spark study | sweep | predict}. */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Run a study, a sweep of training options or batch prediction on Apache Spark: embedded"
                + " (local[*], nothing to install) by default, a cluster with --master URL.",
        subcommands = {SparkStudyCommand.class, SparkSweepCommand.class, SparkPredictCommand.class})
public final class SparkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
