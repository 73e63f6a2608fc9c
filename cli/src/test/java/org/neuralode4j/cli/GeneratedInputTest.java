package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random malformed inputs through the command line's entry point, in-process: CSV files (cut, spliced,
 * sprinkled with quotes, delimiters, non-numbers, huge numbers, NUL bytes and invalid UTF-8), saved models whose
 * model.json or parameter file is truncated or corrupted, and option values that are out of range or not numbers.
 *
 * <p>Every run must end with exit code 0, or with exit code 2 and exactly one line on stderr without a stack trace;
 * and no run may leave half an output behind (temporary files, or a metrics.json that claims a complete run after a
 * failure). The seed is fixed so that a failure is reproducible; the case's description is in the message.
 */
class GeneratedInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 18;
    private static final String[] TINY = {"--epochs", "1", "--batch", "64", "--width", "4", "--depth", "1", "--no-progress"};
    private static final String[] TINY_FLOW = {"--iterations", "1", "--eval-every", "1", "--batch", "32", "--hidden", "4",
        "--eval-points", "40", "--grid", "6", "--sample-points", "20", "--no-progress"};

    @TempDir
    Path tmp;

    /** The valid models every test corrupts or feeds, trained once per class. */
    @TempDir
    static Path shared;

    private int cases;

    @Test
    void malformedCsvFiles() throws Exception {
        Random r = new Random(SEED);
        Path model = trainedClassifier();
        for (int i = 0; i < 30; i++) {
            byte[] bytes = mutate(validCsv(r), r);
            Path csv = tmp.resolve("gen" + i + ".csv");
            Files.write(csv, bytes);
            String what = "csv case " + i + ": " + printable(bytes);
            check(what, tmp.resolve("train" + i), "train", "--csv", csv.toString(), "--out", tmp.resolve("train" + i).toString(),
                    "--epochs", "1", "--width", "4", "--depth", "1", "--batch", "64", "--no-progress");
            check(what, model, "eval", "--model", model.toString(), "--csv", csv.toString());
            check(what, model, "predict", "--model", model.toString(), "--csv", csv.toString());
            if (i % 6 == 0) {
                check(what, tmp.resolve("flow" + i), concat(new String[] {"density", "train", "--csv", csv.toString(), "--out",
                    tmp.resolve("flow" + i).toString()}, TINY_FLOW));
            }
        }
        assertTrue(cases >= 95, "cases run: " + cases);
    }

    @Test
    void truncatedAndCorruptedModelFiles() throws Exception {
        Random r = new Random(SEED + 1);
        Path good = trainedClassifier();
        Path flow = tmp.resolve("flow");
        assertEquals(0, CliRun.run(concat(new String[] {"density", "train", "--dataset", "8gaussians", "--out", flow.toString()},
                TINY_FLOW)).code());
        for (int i = 0; i < 24; i++) {
            boolean classifier = i % 3 != 2;
            Path src = classifier ? good : flow;
            Path dir = tmp.resolve("model" + i);
            Files.createDirectories(dir);
            for (String f : new String[] {"model.json", "model.params"}) {
                Files.copy(src.resolve(f), dir.resolve(f));
            }
            String file = r.nextBoolean() ? "model.json" : "model.params";
            byte[] bytes = Files.readAllBytes(dir.resolve(file));
            byte[] bad = file.equals("model.json") ? corruptJson(bytes, r) : corruptBinary(bytes, r);
            Files.write(dir.resolve(file), bad);
            String what = "model case " + i + " (" + file + "): " + printable(bad);
            if (classifier) {
                check(what, dir, "eval", "--model", dir.toString(), "--dataset", "moons", "--test-size", "16");
                check(what, dir, "analyze", "--model", dir.toString(), "--dataset", "moons", "--test-size", "8", "--points",
                        "4", "--grid", "2", "--eps", "0.1");
            } else {
                check(what, dir, "density", "eval", "--model", dir.toString(), "--points", "20");
                check(what, dir, "density", "sample", "--model", dir.toString(), "--n", "5", "--out",
                        dir.resolve("s.csv").toString());
            }
        }
    }

    @Test
    void outOfRangeAndNonNumericOptionValues() throws Exception {
        Random r = new Random(SEED + 2);
        String[] values = {"-1", "0", "1e300", "NaN", "Infinity", "-Infinity", "abc", "", " ", "2147483648", "-0", "1e-320",
            "9999999999", "0x10", "1,2", "=", "kinetic=0.1,kinetic=0.2", "kinetic=NaN"};
        String[] trainOptions = {"--epochs", "--batch", "--lr", "--rtol", "--atol", "--max-steps", "--threads", "--width",
            "--depth", "--augment", "--train-size", "--test-size", "--seed", "--reg", "--solver", "--batch-mode",
            "--step-control", "--gradient", "--time", "--activation", "--test-fraction"};
        String[] flowOptions = {"--iterations", "--batch", "--lr", "--rtol", "--atol", "--eval-tol", "--max-steps", "--steps",
            "--hidden", "--blocks", "--end-time", "--kinetic", "--jacobian", "--warmup", "--weight-decay", "--grid",
            "--eval-points", "--sample-points", "--eval-every", "--divergence", "--method"};
        for (int i = 0; i < 48; i++) {
            String v = values[r.nextInt(values.length)];
            if (i % 3 == 2) {
                String opt = flowOptions[r.nextInt(flowOptions.length)];
                Path out = tmp.resolve("fo" + i);
                List<String> a = new ArrayList<>(List.of("density", "train", "--dataset", "8gaussians", "--out", out.toString()));
                a.addAll(withoutOption(TINY_FLOW, opt));
                a.addAll(List.of(opt, v));
                check("density train " + opt + " '" + v + "'", out, a.toArray(new String[0]));
            } else {
                String opt = trainOptions[r.nextInt(trainOptions.length)];
                Path out = tmp.resolve("to" + i);
                List<String> a = new ArrayList<>(List.of("train", "--dataset", "moons", "--train-size", "64", "--test-size", "32",
                        "--out", out.toString()));
                if (opt.equals("--train-size") || opt.equals("--test-size")) {
                    int at = a.indexOf(opt);
                    a.remove(at + 1);
                    a.remove(at);
                }
                a.addAll(withoutOption(TINY, opt));
                a.addAll(List.of(opt, v));
                check("train " + opt + " '" + v + "'", out, a.toArray(new String[0]));
            }
        }
    }

    // ------------------------------------------------------------------ the check

    /**
     * Runs one command line; exit 0, or exit 2 with one clean stderr line; no temporary files in {@code out}; after a
     * failure, no metrics.json there that says "complete" unless it was complete before.
     */
    private void check(String what, Path out, String... args) throws IOException {
        cases++;
        String before = status(out);
        CliRun.Outcome o;
        try {
            o = CliRun.run(args);
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + String.join(" ", args) + " threw " + t, t);
        }
        String context = what + "\n  args: " + String.join(" ", args) + "\n  stderr: " + o.err();
        assertTrue(o.code() == 0 || o.code() == 2, "exit code " + o.code() + " for " + context);
        if (o.code() == 2) {
            String line = o.err().strip();
            assertFalse(line.isEmpty(), "a message for " + context);
            assertFalse(line.contains("\n"), "one line for " + context);
            assertFalse(line.contains("Exception") || line.contains("\tat ") || line.contains("Error:"),
                    "no stack trace or exception name for " + context);
            String after = status(out);
            if (after != null && after.equals("complete")) {
                assertEquals(before, after, "a failed run left a metrics.json that says complete: " + context);
            }
        } else {
            assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), "no stack trace for " + context);
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                List<Path> tmps = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
                assertTrue(tmps.isEmpty(), "temporary files " + tmps + " left by " + context);
            }
        }
    }

    private static String status(Path dir) throws IOException {
        Path m = dir.resolve("metrics.json");
        if (!Files.isRegularFile(m)) {
            return null;
        }
        JsonNode n = JSON.readTree(m.toFile());
        return n.has("status") ? n.get("status").asText() : "none";
    }

    // ------------------------------------------------------------------ generators

    private static synchronized Path trainedClassifier() {
        Path out = shared.resolve("classifier");
        if (!Files.isDirectory(out)) {
            CliRun.Outcome o = CliRun.run(concat(new String[] {"train", "--csv", writeValid(), "--out", out.toString()}, TINY));
            assertEquals(0, o.code(), o.err());
        }
        return out;
    }

    private static String writeValid() {
        try {
            Path p = shared.resolve("valid.csv");
            Files.write(p, validCsv(new Random(SEED + 99)));
            return p.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A valid labelled CSV with columns a, b, label (2–3 classes). */
    private static byte[] validCsv(Random r) {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        int rows = 10 + r.nextInt(60);
        int classes = 2 + r.nextInt(2);
        for (int i = 0; i < rows; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%d%n", r.nextGaussian(), r.nextGaussian(),
                    i % classes));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] TOKENS = {",", "\"", "\n", "\r\n", ";", "NaN", "Infinity", "-", "1e999", "1e-999", ".",
        "x", " ", "\u0000", "\uFEFF", "2147483648", "20240101", "-2147483649", "", "label", "a", ",,", "\"\"", "é", "0.5"};

    /** 1–4 random edits: cut, insert a token, drop or duplicate a line, replace a field, or bytes that are not UTF-8. */
    private static byte[] mutate(byte[] valid, Random r) {
        String s = new String(valid, StandardCharsets.UTF_8);
        int edits = 1 + r.nextInt(4);
        byte[] raw = null;
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : r.nextInt(s.length());
            switch (r.nextInt(7)) {
                case 0 -> s = s.substring(0, at);
                case 1 -> s = s.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(at);
                case 2 -> {
                    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
                    if (!lines.isEmpty()) {
                        lines.remove(r.nextInt(lines.size()));
                    }
                    s = String.join("\n", lines);
                }
                case 3 -> {
                    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
                    if (!lines.isEmpty()) {
                        int k = r.nextInt(lines.size());
                        lines.add(k, lines.get(k));
                    }
                    s = String.join("\n", lines);
                }
                case 4 -> {
                    String[] fields = s.split(",", -1);
                    if (fields.length > 1) {
                        fields[r.nextInt(fields.length)] = TOKENS[r.nextInt(TOKENS.length)];
                    }
                    s = String.join(",", fields);
                }
                case 5 -> s = s.replace("label", TOKENS[r.nextInt(TOKENS.length)]);
                default -> raw = new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
            }
        }
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        if (raw == null) {
            return text;
        }
        int at = text.length == 0 ? 0 : r.nextInt(text.length);
        byte[] out = new byte[text.length + raw.length];
        System.arraycopy(text, 0, out, 0, at);
        System.arraycopy(raw, 0, out, at, raw.length);
        System.arraycopy(text, at, out, at + raw.length, text.length - at);
        return out;
    }

    private static final String[] JSON_VALUES = {"null", "-1", "0", "1e300", "\"x\"", "[]", "{}", "true", "2147483648",
        "\"NaN\"", "100000000", "\"TANH\"", "-0.5"};

    /** Truncated, or one scalar value replaced, or a key renamed. */
    private static byte[] corruptJson(byte[] bytes, Random r) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        switch (r.nextInt(3)) {
            case 0 -> {
                return Arrays.copyOf(bytes, r.nextInt(bytes.length));
            }
            case 1 -> {
                List<Integer> colons = new ArrayList<>();
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) == ':') {
                        colons.add(i);
                    }
                }
                int c = colons.get(r.nextInt(colons.size()));
                int end = c + 1;
                while (end < s.length() && ",}\n".indexOf(s.charAt(end)) < 0) {
                    end++;
                }
                String v = s.substring(c + 1, end).trim();
                if (v.startsWith("{") || v.startsWith("[")) {
                    return s.substring(0, c + 1).concat(" null").concat(s.substring(c + 2)).getBytes(StandardCharsets.UTF_8);
                }
                return (s.substring(0, c + 1) + " " + JSON_VALUES[r.nextInt(JSON_VALUES.length)] + s.substring(end))
                        .getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                int q = s.indexOf('"', r.nextInt(s.length()));
                return (q < 0 ? s : s.substring(0, q + 1) + "zz" + s.substring(q + 1)).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** Truncated, a flipped byte, or zero length. */
    private static byte[] corruptBinary(byte[] bytes, Random r) {
        switch (r.nextInt(3)) {
            case 0 -> {
                return Arrays.copyOf(bytes, r.nextInt(bytes.length));
            }
            case 1 -> {
                byte[] b = bytes.clone();
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            default -> {
                return new byte[0];
            }
        }
    }

    private static List<String> withoutOption(String[] opts, String drop) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < opts.length; i++) {
            boolean flag = i + 1 == opts.length || opts[i + 1].startsWith("--");
            if (!opts[i].equals(drop)) {
                out.add(opts[i]);
                if (!flag) {
                    out.add(opts[i + 1]);
                }
            }
            if (!flag) {
                i++;
            }
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String printable(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.UTF_8);
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
    }
}
