package org.neuralode4j.spark;

import picocli.CommandLine.Option;

/** The options every spark command shares: where to run and how often a failed task is tried. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default, embedded),"
            + " local[N], or a cluster such as spark://host:7077.")
    public String master = "local[*]";

    @Option(names = "--task-attempts", paramLabel = "N", description = "Attempts per task before it counts as failed"
            + " (spark.task.maxFailures; default ${DEFAULT-VALUE}).")
    public int attempts = 2;
}
