package org.neuralode4j.spark.study;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.spark.Sessions;
import org.neuralode4j.spark.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spark study NAME [--quick] --out DIR [--master URL]}: a study's runs as Spark tasks, one report. */
@Command(name = "study", mixinStandardHelpOptions = true, description = "Run a paper's study with every run of its"
        + " plan as one Spark task; writes the same report.md, results.json and plots as `study`.")
public final class SparkStudyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Which study: conditioning, rnode or irdm.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (run results go to DIR/runs).")
    Path out;

    @Option(names = "--quick", description = "The quick plan: smaller data, fewer epochs and seeds.")
    boolean quick;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        StudySource source = new StudySource.Named(name, quick);
        OutputDir dir = new OutputDir(out);
        SparkSession s = Sessions.start(spark.master, spark.attempts, "neuralode4j " + source.command());
        try {
            Map<String, Object> r = new SparkStudy(JavaSparkContext.fromSparkContext(s.sparkContext()), System.out)
                    .run(source, dir);
            System.out.println("verdicts: " + r.get("verdicts"));
            System.out.println("report: " + dir.path("report.md"));
        } finally {
            s.stop();
        }
        return 0;
    }
}
