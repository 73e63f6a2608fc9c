package org.neuralode4j.spark.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.Function;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.Main;

/**
 * The Spark task of one grid point: runs {@code train} (or {@code density train}) in the executor's JVM through the
 * command line's own entry point, with the base arguments plus the point's options and a temporary --out, and
 * returns the point's record as JSON: its settings, its status, and the numbers of metrics.json's "final" section.
 * A training that stops with a user error (a diverging solve, a bad option value) is a failed point, not a failed
 * task: retrying it would fail the same way.
 */
final class TrainPoint implements Function<Integer, String>, Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepTarget target;
    private final List<String> base;
    private final List<Map<String, String>> points;

    TrainPoint(SweepTarget target, List<String> base, List<Map<String, String>> points) {
        this.target = target;
        this.base = List.copyOf(base);
        this.points = List.copyOf(points);
    }

    /** The arguments of one point, without --out; an axis at {@value Grid#DEFAULT} leaves its option out. */
    static List<String> args(SweepTarget target, List<String> base, Map<String, String> point) {
        List<String> args = new ArrayList<>(target.command);
        args.addAll(base);
        point.forEach((k, v) -> {
            if (!v.equals(Grid.DEFAULT)) {
                args.add("--" + k);
                args.add(v);
            }
        });
        return args;
    }

    @Override
    public String call(Integer index) throws IOException {
        Map<String, String> point = points.get(index);
        Path out = Files.createTempDirectory("neuralode4j-sweep-" + index + "-");
        try {
            List<String> args = args(target, base, point);
            args.addAll(List.of("--out", out.toString()));
            StringWriter err = new StringWriter();
            long t0 = System.nanoTime();
            int code = Main.run(new Main(), new PrintWriter(err, true), args.toArray(String[]::new));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", index);
            r.put("settings", point);
            r.put("seconds", (System.nanoTime() - t0) / 1e9);
            Path metrics = out.resolve("metrics.json");
            if (code != 0 || !Files.isRegularFile(metrics)) {
                r.put("status", "failed");
                r.put("error", err.toString().strip().isEmpty() ? "exit code " + code : err.toString().strip());
            } else {
                r.put("status", "complete");
                r.put("final", finalNumbers(metrics));
            }
            return JSON.writeValueAsString(r);
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The numeric entries of metrics.json's "final" section. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> finalNumbers(Path metrics) throws IOException {
        Map<String, Object> m = JSON.readValue(metrics.toFile(), Map.class);
        Object fin = m.get("final");
        if (!(fin instanceof Map)) {
            throw new NeuralOdeException(metrics + " has no final section");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        ((Map<String, Object>) fin).forEach((k, v) -> {
            if (v instanceof Number n) {
                out.put(k, n.doubleValue());
            }
        });
        return out;
    }
}
