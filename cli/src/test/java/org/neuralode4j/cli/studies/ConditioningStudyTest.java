package org.neuralode4j.cli.studies;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.report.OutputDir;

/** The conditioning study end to end on a tiny plan: every claim gets a verdict line, and the files are written. */
class ConditioningStudyTest {
    @TempDir
    Path tmp;

    @Test
    void tinyStudyWritesAVerdictForEveryClaim() throws Exception {
        ConditioningStudy.Plan tiny = new ConditioningStudy.Plan(64, 64, 32, 1, 1, 3, new double[] {0.1}, new double[] {0.2},
                8, 4, true);
        Map<String, Object> r = ConditioningStudy.run(tiny, new OutputDir(tmp), 2, new PrintStream(new ByteArrayOutputStream()));
        @SuppressWarnings("unchecked")
        Map<String, String> verdicts = (Map<String, String>) r.get("verdicts");
        assertEquals(java.util.List.of("J1", "J2", "J3", "J4", "J5", "J6"), java.util.List.copyOf(verdicts.keySet()));
        String md = Files.readString(tmp.resolve("report.md"));
        for (String id : verdicts.keySet()) {
            assertTrue(md.contains("### " + id + ":") , id);
        }
        assertEquals(6, md.split("\\*\\*Verdict: ", -1).length - 1, md);
        assertTrue(Files.isRegularFile(tmp.resolve("results.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("nfe_vs_lambda.png")));
    }
}
