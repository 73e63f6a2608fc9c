package org.neuralode4j.spark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.spark.OneTaskJobs;

/**
 * A sweep: every grid point trained as one Spark task (one one-task job each, so a point whose task keeps failing is
 * recorded as failed and the others go on), then the results table and the Pareto plot.
 */
public final class SparkSweep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext spark;
    private final PrintStream log;

    public SparkSweep(JavaSparkContext spark, PrintStream log) {
        this.spark = spark;
        this.log = log;
    }

    /** Runs the grid and writes sweep.json, sweep.csv and pareto.png into {@code out}; returns the table's rows. */
    public List<Map<String, Object>> run(SweepTarget target, List<String> base, Grid grid, OutputDir out) {
        List<Map<String, String>> points = grid.points();
        TrainPoint task = new TrainPoint(target, base, points);
        Map<Integer, JavaFutureAction<List<String>>> jobs = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            jobs.put(i, OneTaskJobs.submit(spark, i, task, "point " + i + ": " + points.get(i)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        jobs.forEach((i, job) -> {
            Map<String, Object> row = row(i, points.get(i), OneTaskJobs.await(job));
            rows.add(row);
            log.printf("point %d/%d  %s  %s%n", rows.size(), points.size(), points.get(i),
                    "complete".equals(row.get("status")) ? String.format("%.1f s", (Double) row.get("seconds"))
                            : "FAILED: " + row.get("error"));
        });
        new SweepTable(target, grid, base, rows).write(out);
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(int index, Map<String, String> point, OneTaskJobs.Outcome o) {
        if (o.failed()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", index);
            r.put("settings", point);
            r.put("seconds", Double.NaN);
            r.put("status", "failed");
            r.put("error", o.failure());
            return r;
        }
        try {
            return JSON.readValue(o.value(), Map.class);
        } catch (IOException e) {
            throw new NeuralOdeException("the result of point " + index + " is not JSON: " + e.getMessage());
        }
    }
}
