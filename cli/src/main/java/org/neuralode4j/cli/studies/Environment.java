package org.neuralode4j.cli.studies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Where a part of a study ran, for the report header (evaluation.md §4.5): commit, JVM, CPU, thread count, date,
 * and the load average when it started (other work on the machine slows timed runs).
 */
public record Environment(String commit, String jvm, String cpu, int processors, String date, String load) {
    /** This JVM and machine, running the commit the classes were built from ({@link #buildCommit}). */
    public static Environment current() {
        return current(buildCommit());
    }

    /**
     * The commit the running classes were built from, recorded at build time (cli/pom.xml, {@code git describe
     * --always --dirty}); without that record (classes compiled outside Maven), the commit of the working directory's
     * git work tree. A jar run from another directory, or after the tree moved on, thus still names its own code.
     */
    public static String buildCommit() {
        try (java.io.InputStream in = Environment.class.getResourceAsStream("/org/neuralode4j/cli/build-commit.txt")) {
            if (in != null) {
                String recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!recorded.isEmpty()) {
                    return recorded;
                }
            }
        } catch (IOException e) {
            // Fall back to the work tree.
        }
        return gitCommit();
    }

    /**
     * This JVM and machine running code of a known commit: a runner whose runs execute elsewhere (Spark executors,
     * which run the driver's jars, often outside any git work tree) names the driver's commit.
     */
    public static Environment current(String commit) {
        return new Environment(commit, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                firstLine(Path.of("/proc/loadavg")));
    }

    /** "commit abc1234 (dirty), JVM …, CPU … × n" — the part of the header that must agree between merged parts. */
    public String machine() {
        return "commit " + commit + ", " + jvm + ", " + cpu + " × " + processors;
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            return "unknown (git not available)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown (not a git work tree)";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through to the architecture.
        }
        return System.getProperty("os.arch");
    }

    private static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
