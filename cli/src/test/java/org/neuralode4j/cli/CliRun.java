package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process with stdout and stderr captured (one at a time: System.out is global). */
final class CliRun {
    private CliRun() {}

    /** Exit code, stdout and stderr of one invocation. */
    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        synchronized (CliRun.class) {
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int code = Main.run(args);
                return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
    }

    /** Exit code 2 and exactly one line on stderr, without a stack trace, containing every fragment. */
    static void assertUserError(Outcome o, String... fragments) {
        assertEquals(2, o.code(), "exit code; stderr: " + o.err() + " stdout: " + o.out());
        String line = o.err().strip();
        assertFalse(line.isEmpty(), "a message on stderr");
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
    }
}
