package org.neuralode4j.cli.studies;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;

/**
 * Per-run result files, {@code DIR/runs/run-NNNN.json}: the run record, its measurements and where it ran.
 * Non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity" so the files stay standard JSON,
 * and every other double is written in its shortest exact form, so a merged report sees the very same values.
 */
public final class RunFiles {
    static final String FOLDER = "runs";
    /** Compact JSON for a result in transit (a Spark task's return value); the same fields as the files. */
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private RunFiles() {}

    static String name(int index) {
        return String.format("run-%04d.json", index);
    }

    static void write(OutputDir out, String study, String mode, RunResult r) {
        new OutputDir(out.path(FOLDER)).writeJson(name(r.run().index()), toMap(study, mode, r));
    }

    /** One result as the compact form of its run file, for runners that execute runs elsewhere (Spark tasks). */
    public static String toJson(String study, String mode, RunResult r) {
        try {
            return COMPACT.writeValueAsString(toMap(study, mode, r));
        } catch (IOException e) {
            throw new NeuralOdeException("cannot encode the result of run " + r.run().index() + ": " + e.getMessage());
        }
    }

    /** The inverse of {@link #toJson}, checked against the plan like a run file; {@code where} names its source. */
    @SuppressWarnings("unchecked")
    public static RunResult fromJson(String json, String where, String study, Plan plan) {
        try {
            return fromMap(COMPACT.readValue(json, Map.class), where, study, plan);
        } catch (IOException e) {
            throw new NeuralOdeException(where + " is not a run result: " + e.getMessage().split("\n")[0]);
        }
    }

    private static Map<String, Object> toMap(String study, String mode, RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", study);
        m.put("mode", mode);
        m.put("index", r.run().index());
        m.put("task", r.run().task());
        m.put("arm", r.run().arm());
        m.put("seed", r.run().seed());
        m.put("config", r.run().config());
        m.put("timed", r.run().timed());
        m.put("seconds", r.seconds());
        m.put("machine", r.machine());
        m.put("date", r.date());
        Map<String, Object> scalars = new LinkedHashMap<>();
        r.values().scalars().forEach((k, v) -> scalars.put(k, json(v)));
        Map<String, Object> series = new LinkedHashMap<>();
        r.values().series().forEach((k, v) -> {
            List<Object> xs = new ArrayList<>(v.length);
            for (double x : v) {
                xs.add(json(x));
            }
            series.put(k, xs);
        });
        m.put("scalars", scalars);
        m.put("series", series);
        if (r.failed()) {
            m.put("failure", r.failure());
        }
        return m;
    }

    /**
     * Reads every run file of a result folder and checks it against the plan: same study and mode, and the very run
     * record the plan has at that index (a result made by another plan or another version of it is an error).
     */
    public static List<RunResult> read(Path dir, String study, Plan plan) {
        Path folder = dir.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            throw new NeuralOdeException("no run results in " + dir + " (expected " + folder + "; make them with"
                    + " --run-only I..J --out " + dir + ")");
        }
        List<RunResult> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("run-\\d+\\.json")).sorted().toList()) {
                out.add(parse(f, study, plan));
            }
        } catch (IOException e) {
            throw new NeuralOdeException("cannot list " + folder + ": " + e.getMessage());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static RunResult parse(Path f, String study, Plan plan) {
        return fromMap(OutputDir.readJson(f, Map.class), f.toString(), study, plan);
    }

    @SuppressWarnings("unchecked")
    private static RunResult fromMap(Map<String, Object> m, String f, String study, Plan plan) {
        try {
            if (!study.equals(m.get("study")) || !plan.mode().equals(m.get("mode"))) {
                throw new NeuralOdeException(f + " belongs to study " + m.get("study") + " (" + m.get("mode")
                        + "), not " + study + " (" + plan.mode() + "): merge only results of the same study and plan");
            }
            int index = ((Number) m.get("index")).intValue();
            if (index < 0 || index >= plan.runs().size()) {
                throw new NeuralOdeException(f + ": run index " + index + " is outside this plan (0.."
                        + (plan.runs().size() - 1) + ")");
            }
            Run planned = plan.runs().get(index);
            Run found = new Run(index, (String) m.get("task"), (String) m.get("arm"), ((Number) m.get("seed")).intValue(),
                    (Map<String, String>) m.get("config"), (Boolean) m.get("timed"));
            if (!planned.equals(found)) {
                throw new NeuralOdeException(f + " was made by a different plan (it ran " + found.label() + " with "
                        + found.config() + "; the plan's run " + index + " is " + planned.label() + " with "
                        + planned.config() + "): rerun it with --run-only " + index + ".." + index);
            }
            Measurements.Builder b = new Measurements.Builder();
            ((Map<String, Object>) m.get("scalars")).forEach((k, v) -> b.put(k, number(v)));
            ((Map<String, Object>) m.get("series")).forEach((k, v) -> {
                List<Object> xs = (List<Object>) v;
                double[] d = new double[xs.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = number(xs.get(i));
                }
                b.put(k, d);
            });
            return new RunResult(planned, b.build(), number(m.get("seconds")), (String) m.get("machine"),
                    (String) m.get("date"), (String) m.get("failure"));
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw new NeuralOdeException(f + " is not a run result of this version (" + e.getMessage() + "): rerun it");
        }
    }

    private static Object json(double v) {
        return Double.isFinite(v) ? (Object) v : Double.toString(v);
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.parseDouble((String) v);
    }
}
