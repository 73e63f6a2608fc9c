package org.neuralode4j.spark.study;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.studies.TinyStudies;
import org.neuralode4j.spark.Sessions;

/**
 * Acceptance 1 on a real cluster: a standalone Spark master and one worker, started as child JVMs on localhost from
 * the test class path (no Spark installation: SPARK_HOME is an empty folder with a jars/ subfolder, and the
 * executors get the test class path), run the tiny study; the report equals the local runner's.
 */
class StandaloneClusterTest {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aStudyOnAStandaloneMasterAndWorkerGivesTheLocalReport() throws Exception {
        Path home = tmp.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        start(home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        start(home, "worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "1536m", "--webui-port", String.valueOf(freePort()), "--work-dir",
                home.resolve("work").toString(), master);

        Sessions.quietLogging();
        SparkSession spark = Sessions.start(master, 2, "StandaloneClusterTest", Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.memory", "768m",
                "spark.cores.max", "2",
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.jars", ""));
        try {
            Map<String, Object> distributed = new SparkStudy(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    new PrintStream(OutputStream.nullOutputStream())).run(new TinyStudies.Tiny(),
                    new OutputDir(tmp.resolve("report")));
            SameReport.check(TinyStudies.localReport(), distributed);
            assertTrue(spark.sparkContext().getExecutorMemoryStatus().size() > 1, "an executor besides the driver");
        } finally {
            spark.stop();
        }
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A Spark daemon as a child JVM of the test's JDK with the test class path; its output in a log file. */
    private void start(Path home, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-XX:+Ignore")
                        || a.startsWith("--sun-misc") || a.startsWith("--enable-native")).toList());
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        started.add(pb.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
