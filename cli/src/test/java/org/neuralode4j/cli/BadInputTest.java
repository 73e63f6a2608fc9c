package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.neuralode4j.cli.CliRun.assertUserError;
import static org.neuralode4j.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per kind of bad input to the classifier commands (issue: hardening): label columns that hold IDs,
 * labels the model does not know, the held-out split of a CSV, columns matched by name, settings an older model file
 * lacks, tolerances, repeated regularisers, sizes, and what a failed run leaves behind.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A tiny, fast classifier run. */
    private static final String[] TINY = {"--epochs", "1", "--batch", "64", "--width", "8", "--depth", "1", "--no-progress"};

    @TempDir
    Path tmp;

    /** Two separable blobs in columns a, b with labels {@code l0}/{@code l1}. */
    private Path blobs(String name, int rows, String l0, String l1) throws Exception {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++) {
            boolean one = i % 2 == 1;
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s%n", (one ? 1.5 : -1.5) + r.nextGaussian() * 0.3,
                    r.nextGaussian() * 0.5, one ? l1 : l0));
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        List<String> given = List.of(extra);
        for (int i = 0; i < TINY.length; i++) {
            boolean flag = i + 1 == TINY.length || TINY[i + 1].startsWith("--");
            if (!given.contains(TINY[i])) {
                a.add(TINY[i]);
                if (!flag) {
                    a.add(TINY[i + 1]);
                }
            }
            if (!flag) {
                i++;
            }
        }
        a.addAll(given);
        a.add("--out");
        a.add(out.toString());
        return a.toArray(new String[0]);
    }

    private Path trained(String name, Path csv, String... extra) {
        Path out = tmp.resolve(name);
        List<String> a = new ArrayList<>(List.of("--csv", csv.toString()));
        a.addAll(List.of(extra));
        CliRun.Outcome o = run(train(out, a.toArray(new String[0])));
        assertEquals(0, o.code(), o.err());
        return out;
    }

    @Test
    void aLabelColumnHoldingIdsIsRefusedWithTheColumnAndCount() throws Exception {
        StringBuilder sb = new StringBuilder("x,id\n");
        for (int i = 0; i < 1500; i++) {
            sb.append(i * 0.001).append(',').append(20240101 + i).append('\n');
        }
        Path ids = tmp.resolve("ids.csv");
        Files.writeString(ids, sb);
        Path out = tmp.resolve("o");
        assertUserError(run(train(out, "--csv", ids.toString(), "--label", "id")), "\"id\"", "1500 distinct labels", "--label");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void labelsAtTheIntegerLimitsTrainAndPredictAsWritten() throws Exception {
        Path csv = blobs("max.csv", 200, "-2147483648", "2147483647");
        Path model = trained("max", csv, "--epochs", "15", "--lr", "0.05");
        JsonNode spec = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals(2, spec.get("classes").asInt());
        assertEquals("[-2147483648,2147483647]", spec.get("data").get("labels").toString());
        Path points = tmp.resolve("points.csv");
        Files.writeString(points, "a,b\n-1.5,0\n1.5,0\n");
        CliRun.Outcome p = run("predict", "--model", model.toString(), "--csv", points.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals("row,prediction\n1,-2147483648\n2,2147483647\n", p.out());

        Path over = blobs("over.csv", 20, "0", "2147483648");
        assertUserError(run(train(tmp.resolve("o"), "--csv", over.toString())), "over.csv", "2147483648", "integer range");
    }

    @Test
    void evalAndAnalyzeRefuseLabelsTheModelDoesNotKnow() throws Exception {
        Path model = trained("m", blobs("train.csv", 200, "0", "1"));
        Path other = blobs("other.csv", 200, "0", "7");
        assertUserError(run("eval", "--model", model.toString(), "--csv", other.toString()), "label 7", "0, 1", "other.csv");
        assertUserError(run("analyze", "--model", model.toString(), "--csv", other.toString(), "--points", "4", "--grid", "2"),
                "label 7", "0, 1");
        assertFalse(Files.exists(model.resolve("analysis.json")));
    }

    @Test
    void evalScoresTheTestSplitOfTheTrainingSeed() throws Exception {
        Path csv = blobs("seeded.csv", 300, "0", "1");
        Path model = trained("seeded", csv, "--seed", "5", "--test-fraction", "0.3", "--epochs", "2");
        JsonNode spec = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals(5, spec.get("data").get("seed").asLong());
        JsonNode fin = JSON.readTree(model.resolve("metrics.json").toFile()).get("final");
        CliRun.Outcome e = run("eval", "--model", model.toString(), "--csv", csv.toString());
        assertEquals(0, e.code(), e.err());
        // Same rows, same solver: eval reproduces the run's own test accuracy and NFE.
        assertEquals(String.format("accuracy %.4f on %d points, NFE %d%n", fin.get("test_accuracy").asDouble(), 90,
                fin.get("test_nfe").asLong()), e.out());
        assertUserError(run("eval", "--model", model.toString(), "--csv", csv.toString(), "--test-fraction", "0.5"),
                "--test-fraction", "0.3", "training rows");
    }

    @Test
    void predictMatchesColumnsByHeaderName() throws Exception {
        Path model = trained("cols", blobs("cols.csv", 200, "0", "1"));
        Path ab = tmp.resolve("ab.csv");
        Files.writeString(ab, "a,b\n-1.5,0.2\n1.5,-0.1\n0.3,2.0\n");
        Path ba = tmp.resolve("ba.csv");
        Files.writeString(ba, "extra,b,a\n9,0.2,-1.5\n9,-0.1,1.5\n9,2.0,0.3\n");
        CliRun.Outcome p1 = run("predict", "--model", model.toString(), "--csv", ab.toString());
        CliRun.Outcome p2 = run("predict", "--model", model.toString(), "--csv", ba.toString());
        assertEquals(0, p1.code(), p1.err());
        assertEquals(p1.out(), p2.out(), "columns in another order, plus an extra one, give the same predictions");
        Path missing = tmp.resolve("missing.csv");
        Files.writeString(missing, "c,d\n1,2\n");
        assertUserError(run("predict", "--model", model.toString(), "--csv", missing.toString()), "\"a\", \"b\"", "c, d");
        Path bare = tmp.resolve("bare.csv");
        Files.writeString(bare, "1,2\n3,4\n");
        assertUserError(run("predict", "--model", model.toString(), "--csv", bare.toString()), "no header", "a, b");
        // eval reads the test CSV by name too.
        Path shuffled = tmp.resolve("shuffled.csv");
        List<String> lines = Files.readAllLines(tmp.resolve("cols.csv"));
        StringBuilder sb = new StringBuilder("label,b,a\n");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            sb.append(f[2]).append(',').append(f[1]).append(',').append(f[0]).append('\n');
        }
        Files.writeString(shuffled, sb);
        CliRun.Outcome e1 = run("eval", "--model", model.toString(), "--csv", tmp.resolve("cols.csv").toString());
        CliRun.Outcome e2 = run("eval", "--model", model.toString(), "--csv", shuffled.toString());
        assertEquals(0, e2.code(), e2.err());
        assertEquals(e1.out(), e2.out());
    }

    @Test
    void modelJsonRecordsTheSolveSettingsAndOlderFilesStillLoad() throws Exception {
        Path model = tmp.resolve("ps");
        CliRun.Outcome o = run(train(model, "--dataset", "moons", "--train-size", "32", "--test-size", "16",
                "--batch-mode", "per-sample", "--max-steps", "500"));
        assertEquals(0, o.code(), o.err());
        ObjectNode spec = (ObjectNode) JSON.readTree(model.resolve("model.json").toFile());
        assertEquals("per-sample", spec.get("solver").get("batch_mode").asText());
        assertEquals(500, spec.get("solver").get("max_steps").asInt());
        CliRun.Outcome now = run("eval", "--model", model.toString(), "--dataset", "moons", "--test-size", "16");
        assertEquals(0, now.code(), now.err());
        assertEquals("", now.err());

        ((ObjectNode) spec.get("solver")).remove(List.of("batch_mode", "max_steps"));
        spec.remove("data");
        Files.writeString(model.resolve("model.json"), spec.toString());
        CliRun.Outcome old = run("eval", "--model", model.toString(), "--dataset", "moons", "--test-size", "16");
        assertEquals(0, old.code(), old.err());
        assertTrue(old.err().contains("note: model.json does not record the batch mode or max-steps")
                && old.err().contains("assuming batch mode batch-wide, max-steps 2000"), old.err());
        assertTrue(old.err().contains("labels 0..1"), old.err());
    }

    @Test
    void tolerancesAreCheckedAlikeOnEveryCommand() throws Exception {
        Path out = tmp.resolve("o");
        for (String bad : new String[] {"Infinity", "1e300", "NaN", "0", "-1e-3", "1e-300"}) {
            assertUserError(run(train(out, "--dataset", "moons", "--rtol", bad)), "--rtol", "from 1.0E-13 to 1.0");
            assertUserError(run("density", "train", "--dataset", "8gaussians", "--rtol", bad, "--out", out.toString()),
                    "--rtol", "from 1.0E-13 to 1.0");
            assertUserError(run("density", "train", "--dataset", "8gaussians", "--eval-tol", bad, "--out", out.toString()),
                    "--eval-tol");
        }
        for (String bad : new String[] {"Infinity", "1e300", "NaN", "0"}) {
            assertUserError(run(train(out, "--dataset", "moons", "--atol", bad)), "--atol", "at most 1000.0");
            assertUserError(run("density", "train", "--dataset", "8gaussians", "--atol", bad, "--out", out.toString()),
                    "--atol", "at most 1000.0");
        }
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aRegulariserGivenTwiceIsNamed() {
        Path out = tmp.resolve("o");
        assertUserError(run(train(out, "--dataset", "moons", "--reg", "kinetic=0.1,kinetic=0.2")), "'kinetic' is given twice");
        assertUserError(run(train(out, "--dataset", "moons", "--reg", "kinetic=0.1,Kinetic=0")), "'kinetic' is given twice");
        assertUserError(run(train(out, "--dataset", "moons", "--reg", "spin=0")), "spin");
        assertUserError(run(train(out, "--dataset", "moons", "--reg", "kinetic=0.1,")), "NAME=WEIGHT");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void absurdSizesAreRefusedBeforeAllocating() {
        Path out = tmp.resolve("o");
        assertUserError(run(train(out, "--dataset", "moons", "--width", "100000000")), "--width", "parameters");
        assertUserError(run(train(out, "--dataset", "moons", "--augment", "2000000000")), "parameters");
        assertUserError(run(train(out, "--dataset", "moons", "--train-size", "2000000000")), "--train-size");
        assertUserError(run(train(out, "--dataset", "moons", "--threads", "100000")), "--threads");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void metricsJsonSaysWhetherTheRunIsComplete() throws Exception {
        Path out = tmp.resolve("done");
        assertEquals(0, run(train(out, "--dataset", "moons", "--train-size", "128", "--test-size", "64")).code());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("complete", m.get("status").asText());
        assertEquals(1, m.get("checkpoint_epoch").asInt());
        // The same folder reused by a run that diverges: nothing in it claims to be complete any more.
        CliRun.Outcome o = run(train(out, "--dataset", "moons", "--train-size", "128", "--test-size", "64", "--lr", "1e9",
                "--epochs", "5", "--width", "64", "--depth", "2"));
        assertUserError(o);
        m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("stopped", m.get("status").asText());
        assertTrue(m.get("error").asText().length() > 0);
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
