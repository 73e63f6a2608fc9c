package org.neuralode4j.spark.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.Main;
import org.neuralode4j.spark.Sessions;

/**
 * Acceptance 2 in local[2]: {@code spark predict} over a 1,000,000-row CSV made here gives, for a random sample of
 * rows, exactly the labels that {@code predict} gives for those rows; rows with a missing, non-numeric or non-finite
 * feature carry an error instead of failing the job; Parquet input gives the same predictions as CSV.
 */
class SparkPredictTest {
    static final int ROWS = 1_000_000;
    static SparkSession spark;

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void trainAndStart() throws IOException {
        Path train = tmp.resolve("train.csv");
        try (BufferedWriter w = Files.newBufferedWriter(train)) {
            w.write("a,b,label\n");
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < 400; i++) {
                double a = rng.nextDouble(-2, 2);
                double b = rng.nextDouble(-2, 2);
                w.write(a + "," + b + "," + (a * a + b * b < 1.5 ? 1 : 0) + "\n");
            }
        }
        model = tmp.resolve("model");
        // A fixed-step solver: a row's solve then does not depend on the other rows of its batch, so predictions
        // over any partitioning must equal predict's exactly.
        assertEquals(0, quietly(() -> Main.run("train", "--csv", train.toString(), "--label", "label", "--epochs", "2",
                "--width", "8", "--solver", "rk4", "--steps", "4", "--no-progress", "--out", model.toString())));
        Sessions.quietLogging();
        spark = Sessions.start("local[2]", 2, "SparkPredictTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void aMillionRowsMatchPredictOnASample() throws IOException {
        Path input = tmp.resolve("rows.csv");
        Map<Long, String> bad = writeRows(input, ROWS);
        Path output = tmp.resolve("scored");
        BatchPredict.Summary s = BatchPredict.check(model, input, output, 1024).run(spark);
        System.out.printf("spark predict, %d rows in local[2]: %.1f s, %.0f rows/s%n", s.rows(), s.seconds(),
                s.rowsPerSecond());
        assertEquals(ROWS, s.rows());
        assertEquals(bad.size(), s.errors());

        Map<Long, String[]> scored = readScored(output);
        assertEquals(ROWS, scored.size());
        bad.forEach((id, column) -> {
            String[] r = scored.get(id);
            assertTrue(r[1].isEmpty() && r[2].startsWith(column + ": "), id + ": " + String.join("|", r));
        });

        // The sample: 300 random good rows, through the local predict command.
        SplittableRandom rng = new SplittableRandom(7);
        Path sample = tmp.resolve("sample.csv");
        List<Long> ids = new java.util.ArrayList<>();
        Map<Long, String> lines = linesById(input);
        StringBuilder csv = new StringBuilder(lines.get(-1L)).append('\n');
        while (ids.size() < 300) {
            long id = rng.nextLong(ROWS);
            if (!bad.containsKey(id) && !ids.contains(id)) {
                ids.add(id);
                csv.append(lines.get(id)).append('\n');
            }
        }
        Files.writeString(sample, csv);
        String out = capture(() -> Main.run("predict", "--model", model.toString(), "--csv", sample.toString()));
        String[] predicted = out.strip().split("\n");
        assertEquals("row,prediction", predicted[0]);
        int ones = 0;
        for (int i = 0; i < ids.size(); i++) {
            String label = predicted[i + 1].split(",")[1];
            assertEquals(label, scored.get(ids.get(i))[1], "row id " + ids.get(i));
            assertTrue(scored.get(ids.get(i))[2].isEmpty());
            ones += label.equals("1") ? 1 : 0;
        }
        assertTrue(ones > 0 && ones < ids.size(), "the sample holds both classes: " + ones);
    }

    @Test
    void parquetInputGivesTheSamePredictionsAsCsv() throws IOException {
        Path csv = tmp.resolve("small.csv");
        writeRows(csv, 2000);
        Path parquet = tmp.resolve("small-parquet");
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toUri().toString())
                .write().parquet(parquet.toUri().toString());
        BatchPredict.check(model, csv, tmp.resolve("out-csv"), 100).run(spark);
        BatchPredict.Summary p = BatchPredict.check(model, parquet, tmp.resolve("out-parquet"), 100).run(spark);
        assertEquals("parquet", p.format());
        Map<Long, Object> fromParquet = new HashMap<>();
        spark.read().parquet(tmp.resolve("out-parquet").toUri().toString()).collectAsList()
                .forEach(r -> fromParquet.put(((Number) r.getAs("id")).longValue(), r.getAs("prediction")));
        Map<Long, String[]> fromCsv = readScored(tmp.resolve("out-csv"));
        assertEquals(2000, fromParquet.size());
        fromCsv.forEach((id, r) -> {
            if (r[2].isEmpty()) {
                assertEquals(r[1], String.valueOf(fromParquet.get(id)), "row " + id);
            }
        });
        assertFalse(Files.exists(tmp.resolve("out-csv").resolveSibling(".out-csv.tmp")), "no temp folder left");
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temp folder left");
        }
    }

    /**
     * Rows "c,id,b,a" (feature columns in another order than training, plus columns the model ignores); every
     * 9973rd row has a bad feature. Returns the bad rows' ids and the column at fault.
     */
    static Map<Long, String> writeRows(Path file, int rows) throws IOException {
        Map<Long, String> bad = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(3);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("c,id,b,a\n");
            for (long i = 0; i < rows; i++) {
                String a = Double.toString(rng.nextDouble(-2, 2));
                String b = Double.toString(rng.nextDouble(-2, 2));
                if (i % 9973 == 5) {
                    switch ((int) (i / 9973 % 3)) {
                        case 0 -> { a = ""; bad.put(i, "a"); }
                        case 1 -> { b = "NaN"; bad.put(i, "b"); }
                        default -> { a = "abc"; bad.put(i, "a"); }
                    }
                }
                w.write("x" + (i % 5) + "," + i + "," + b + "," + a + "\n");
            }
        }
        return bad;
    }

    /** id → {id, prediction, error} from the output's part files (header on each). */
    static Map<Long, String[]> readScored(Path dir) throws IOException {
        Map<Long, String[]> out = new HashMap<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path p : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                List<String> lines = Files.readAllLines(p);
                List<String> header = List.of(lines.get(0).split(","));
                int id = header.indexOf("id");
                int pred = header.indexOf("prediction");
                int err = header.indexOf("error");
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = splitCsv(line);
                    out.put(Long.parseLong(f[id]), new String[] {f[id], f[pred], err < f.length ? f[err] : ""});
                }
            }
        }
        return out;
    }

    /** Fields of a line Spark wrote (it quotes fields with commas, as the error text may have). */
    private static String[] splitCsv(String line) {
        List<String> f = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                f.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        f.add(cur.toString());
        return f.toArray(String[]::new);
    }

    /** Input lines by id (the header under -1). */
    private static Map<Long, String> linesById(Path file) throws IOException {
        Map<Long, String> m = new HashMap<>();
        try (Stream<String> lines = Files.lines(file)) {
            lines.forEach(l -> {
                String id = l.split(",", 3)[1];
                m.put(id.equals("id") ? -1L : Long.parseLong(id), l);
            });
        }
        return m;
    }

    private static int quietly(java.util.function.IntSupplier run) {
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return run.getAsInt();
        } finally {
            System.setOut(old);
        }
    }

    private static String capture(java.util.function.IntSupplier run) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, run.getAsInt());
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }
}
