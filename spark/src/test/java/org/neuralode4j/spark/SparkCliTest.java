package org.neuralode4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options, a missing model, an unknown study: one line on stderr, exit code 2, no stack trace, no Spark started. */
class SparkCliTest {
    @TempDir
    Path tmp;

    @Test
    void userErrorsAreOneLineAndExitTwo() throws Exception {
        Path csv = tmp.resolve("x.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        error(new String[] {"spark", "study", "nosuch", "--out", tmp.resolve("s").toString()}, "study 'nosuch' is unknown");
        error(new String[] {"spark", "study", "conditioning"}, "--out");
        error(new String[] {"spark", "predict", "--model", tmp.resolve("none").toString(), "--input", csv.toString(),
            "--output", tmp.resolve("o").toString()}, "holds no model.json");
        error(new String[] {"spark", "sweep", "--out", tmp.resolve("w").toString(), "--grid", "rtol"}, "--grid rtol");
        error(new String[] {"spark", "sweep", "--command", "eval", "--out", tmp.resolve("w").toString(), "--grid",
            "seed=1"}, "--command eval is unknown");
        error(new String[] {"spark", "study", "conditioning", "--quick", "--master", "nonsense", "--out",
            tmp.resolve("m").toString()}, "--master 'nonsense'");
        error(new String[] {"spark", "nosuch"}, "nosuch");
        assertFalse(Files.exists(tmp.resolve("o")), "no output for a failed command");
    }

    private static void error(String[] args, String fragment) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = SparkMain.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, String.join(" ", args) + ": " + line);
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace: " + line);
        assertTrue(line.startsWith("neuralode4j spark") && line.contains(fragment), line);
    }
}
