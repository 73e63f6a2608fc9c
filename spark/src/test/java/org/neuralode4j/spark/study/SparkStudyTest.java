package org.neuralode4j.spark.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.TinyStudies;
import org.neuralode4j.spark.Sessions;

/**
 * Acceptance 1 in local[2]: a study run as Spark tasks writes the same report as the local runner (verdicts, claims,
 * tables and every per-run measurement; timings aside), and a run that fails all its attempts is reported as failed.
 */
class SparkStudyTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        Sessions.quietLogging();
        spark = Sessions.start("local[2]", 2, "SparkStudyTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SparkStudy runner() {
        return new SparkStudy(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void sameReportAsTheLocalRunner() throws Exception {
        Map<String, Object> distributed = runner().run(new TinyStudies.Tiny(), new OutputDir(tmp.resolve("spark")));
        SameReport.check(TinyStudies.localReport(), distributed);
        try (var files = Files.list(tmp.resolve("spark/runs"))) {
            assertEquals(TinyStudies.tinyPlan().runs().size(), files.count());
        }
    }

    @Test
    void aRunThatFailsEveryAttemptIsReportedNotDropped() throws Exception {
        int failing = 1;
        TinyStudies.ATTEMPTS.clear();
        Map<String, Object> r = runner().run(new TinyStudies.Failing(failing), new OutputDir(tmp.resolve("f")));

        assertEquals(2, TinyStudies.ATTEMPTS.get(failing).get(), "Spark tried the run twice (--task-attempts 2)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) r.get("runs");
        assertEquals(TinyStudies.tinyPlan().runs().size(), runs.size(), "no run dropped");
        String failure = (String) runs.get(failing).get("failure");
        assertTrue(failure != null && failure.contains("injected failure of run 1") && failure.contains("2 attempt"),
                String.valueOf(failure));
        String md = Files.readString(tmp.resolve("f/report.md"));
        assertTrue(md.contains("## Failed runs") && md.contains("- run 1 ("), md);
        assertEquals(1, runs.stream().filter(x -> x.containsKey("failure")).count());
    }

    @Test
    void conditionalRunsWaitForTheirSelectionAndOnlyTheNeededOnesRun() throws Exception {
        Map<String, Object> r = runner().run(new TinyStudies.Screening(), new OutputDir(tmp.resolve("c")));
        assertEquals(Map.of("S1", "supported"), r.get("verdicts"));
        try (var files = Files.list(tmp.resolve("c/runs"))) {
            assertEquals(12, files.count(), "9 screening runs and the 3 follow-up runs at level 2");
        }
        String md = Files.readString(tmp.resolve("c/report.md"));
        assertTrue(md.contains("- not executed: 6 conditional runs (9..11, 15..17)"), md);
    }
}
