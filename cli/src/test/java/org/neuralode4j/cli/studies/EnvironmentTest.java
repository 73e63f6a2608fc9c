package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The commit a study names is the one its classes were built from (recorded by the build), not the work tree's. */
class EnvironmentTest {
    @Test
    void theBuildRecordsItsCommitAndTheRunnerNamesIt() throws Exception {
        String recorded;
        try (InputStream in = Environment.class.getResourceAsStream("/org/neuralode4j/cli/build-commit.txt")) {
            assertNotNull(in, "the build writes org/neuralode4j/cli/build-commit.txt (cli/pom.xml)");
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertTrue(recorded.matches("[0-9a-f]{7,40}(-dirty)?") || recorded.startsWith("unknown"), recorded);
        assertEquals(recorded, Environment.buildCommit());
        assertTrue(Environment.current().machine().startsWith("commit " + recorded + ", "));
    }
}
