package org.neuralode4j.spark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.Main;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.spark.Sessions;

/** The sweep's grid, and a small sweep in local[2] whose points equal the same train runs made locally. */
class SparkSweepTest {
    @TempDir
    Path tmp;

    static final List<String> BASE = List.of("--dataset", "moons", "--train-size", "64", "--test-size", "64",
            "--epochs", "1", "--width", "8", "--batch", "32", "--no-progress");

    @Test
    void gridPointsAreTheProductInAxisOrder() {
        Grid g = Grid.parse(List.of("rtol=1e-3,1e-5", "seed=0,1,2", "reg=kinetic=0.1+jacobian=0.1"));
        List<Map<String, String>> p = g.points();
        assertEquals(6, p.size());
        assertEquals(Map.of("rtol", "1e-3", "seed", "0", "reg", "kinetic=0.1,jacobian=0.1"), p.get(0));
        assertEquals(Map.of("rtol", "1e-5", "seed", "2", "reg", "kinetic=0.1,jacobian=0.1"), p.get(5));
        for (String bad : List.of("rtol", "=1", "rtol=", "rtol=1,,2", "out=x", "Rtol=1", "seed=1,1")) {
            assertThrows(NeuralOdeException.class, () -> Grid.parse(List.of(bad)), bad);
        }
        assertThrows(NeuralOdeException.class, () -> Grid.parse(List.of("seed=1", "seed=2")));
        Map<String, String> point = new java.util.LinkedHashMap<>();
        point.put("reg", Grid.DEFAULT);
        point.put("seed", "3");
        assertEquals(List.of("train", "--epochs", "1", "--seed", "3"),
                TrainPoint.args(SweepTarget.TRAIN, List.of("--epochs", "1"), point), "an axis at '-' leaves its option out");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSweepTrainsEveryPointAsTrainWouldAndKeepsFailedPoints() throws Exception {
        Sessions.quietLogging();
        SparkSession spark = Sessions.start("local[2]", 2, "SparkSweepTest");
        List<Map<String, Object>> rows;
        try {
            rows = new SparkSweep(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    new PrintStream(OutputStream.nullOutputStream())).run(SweepTarget.TRAIN, BASE,
                    Grid.parse(List.of("rtol=1e-3,-1", "seed=0,1")), new OutputDir(tmp.resolve("sweep")));
        } finally {
            spark.stop();
        }
        assertEquals(4, rows.size());
        for (Map<String, Object> r : rows) {
            boolean bad = ((Map<String, String>) r.get("settings")).get("rtol").equals("-1");
            assertEquals(bad ? "failed" : "complete", r.get("status"), String.valueOf(r));
            if (bad) {
                assertTrue(String.valueOf(r.get("error")).contains("rtol"), String.valueOf(r.get("error")));
            }
        }
        // Point 1 (rtol 1e-3, seed 1) against the same train run made here.
        Path local = tmp.resolve("local");
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(BASE);
        args.addAll(List.of("--rtol", "1e-3", "--seed", "1", "--out", local.toString()));
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        Map<String, Object> fin = (Map<String, Object>) OutputDir.readJson(local.resolve("metrics.json"), Map.class)
                .get("final");
        assertEquals(((Number) fin.get("test_accuracy")).doubleValue(), SweepTable.metric(rows.get(1), "test_accuracy"));
        assertEquals(((Number) fin.get("test_nfe")).doubleValue(), SweepTable.metric(rows.get(1), "test_nfe"));

        List<String> csv = Files.readAllLines(tmp.resolve("sweep/sweep.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(0).startsWith("index,rtol,seed,status,test_nfe,test_accuracy,seconds,"), csv.get(0));
        assertTrue(Files.size(tmp.resolve("sweep/pareto.png")) > 1000);
        Map<String, Object> json = OutputDir.readJson(tmp.resolve("sweep/sweep.json"), Map.class);
        assertEquals(2, ((List<?>) json.get("pareto")).size(), "two configurations (rtol), seeds averaged");
    }
}
