package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import static org.neuralode4j.cli.CliRun.assertUserError;
import static org.neuralode4j.cli.CliRun.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code density train|eval|sample}: tiny end-to-end runs (files, metrics fields, decodable non-blank PNGs, a
 * loadable model) and every user-error path (exit code 2, one line naming the option or file, no stack trace).
 */
class DensityCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options of a tiny, fast run. */
    private static final String[] TINY = {"--hidden", "8,8", "--eval-points", "200", "--grid", "16", "--sample-points", "100",
        "--no-progress"};

    @TempDir
    Path tmp;


    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("density", "train"));
        a.addAll(List.of(TINY));
        a.addAll(List.of(extra));
        if (!a.contains("--batch")) {
            a.add("--batch");
            a.add("32");
        }
        a.add("--out");
        a.add(out.toString());
        return a.toArray(new String[0]);
    }

    private static void assertPng(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " exists");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " decodes");
        assertEquals(800, img.getWidth(), file.toString());
        assertEquals(600, img.getHeight(), file.toString());
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 5) {
            for (int x = 0; x < img.getWidth(); x += 5) {
                c.add(img.getRGB(x, y));
            }
        }
        assertTrue(c.size() > 10, file + " is blank");
    }

    @Test
    void trainEvalSampleEndToEnd() throws Exception {
        Path out = tmp.resolve("run");
        CliRun.Outcome o = run(train(out, "--dataset", "8gaussians", "--iterations", "3", "--eval-every", "2"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("held-out NLL") && o.out().contains("gap"), o.out());
        for (String f : new String[] {"metrics.json", "model.json", "model.params"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        for (String png : new String[] {"samples.png", "density.png", "trajectories.png", "nll.png", "nfe.png"}) {
            assertPng(out.resolve(png));
        }
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("complete", m.get("status").asText());
        assertEquals(3, m.get("iterations").size());
        for (JsonNode it : m.get("iterations")) {
            for (String f : new String[] {"iteration", "nll", "loss", "kinetic", "jacobian", "nfe_forward", "nfe_backward",
                "seconds"}) {
                assertTrue(it.has(f), f + " in " + it);
            }
            assertTrue(it.get("nfe_forward").asLong() > 0, it.toString());
        }
        // checkpoints at 0 and 2, and the final one at 3
        assertEquals(3, m.get("evaluations").size());
        JsonNode fin = m.get("final");
        for (String f : new String[] {"nll", "nll_se", "nfe", "true_nll", "gap", "gap_se", "median_seconds_per_iteration",
            "median_cpu_seconds_per_iteration", "density_mass"}) {
            assertTrue(fin.has(f) && fin.get(f).isNumber(), f + " in " + fin);
        }
        assertEquals(fin.get("nll").asDouble() - fin.get("true_nll").asDouble(), fin.get("gap").asDouble(), 1e-12);
        assertTrue(fin.get("density_mass").asDouble() > 0.5 && fin.get("density_mass").asDouble() < 1.02, fin.toString());
        assertEquals(200, fin.get("points").asInt());

        // eval reproduces the final held-out NLL (same points: training seed + 1, same solver)
        CliRun.Outcome e = run("density", "eval", "--model", out.toString(), "--points", "200");
        assertEquals(0, e.code(), e.err());
        JsonNode ej = JSON.readTree(e.out());
        assertEquals(fin.get("nll").asDouble(), ej.get("nll").asDouble(), 1e-9);
        assertTrue(ej.has("nll_se") && ej.has("nfe") && ej.has("true_nll") && ej.has("gap") && ej.has("gap_se"),
                ej.toString());
        Path ejson = tmp.resolve("eval/e.json");
        CliRun.Outcome e2 = run("density", "eval", "--model", out.toString(), "--points", "100", "--seed", "5", "--json",
                ejson.toString());
        assertEquals(0, e2.code(), e2.err());
        assertEquals(100, JSON.readTree(ejson.toFile()).get("points").asInt());

        // samples as CSV (and PNG); they load back as data for eval
        Path csv = tmp.resolve("samples.csv");
        Path png = tmp.resolve("samples.png");
        CliRun.Outcome s = run("density", "sample", "--model", out.toString(), "--n", "50", "--out", csv.toString(), "--png",
                png.toString(), "--log-density");
        assertEquals(0, s.code(), s.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x1,x2,log_p", lines.get(0));
        assertEquals(51, lines.size());
        assertEquals(3, lines.get(1).split(",").length);
        assertPng(png);
        CliRun.Outcome back = run("density", "eval", "--model", out.toString(), "--csv", csv.toString(), "--columns", "x1,x2");
        assertEquals(0, back.code(), back.err());
        assertEquals(50, JSON.readTree(back.out()).get("points").asInt());
    }

    @Test
    void regularisedAdjointHutchinsonAndFixedGridRecordTheChannels() throws Exception {
        Path out = tmp.resolve("rnode");
        CliRun.Outcome o = run(train(out, "--dataset", "pinwheel", "--iterations", "2", "--kinetic", "0.01", "--jacobian", "0.01",
                "--divergence", "hutchinson-rademacher", "--gradient", "adjoint", "--end-time", "1"));
        assertEquals(0, o.code(), o.err());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        JsonNode it = m.get("iterations").get(1);
        assertTrue(it.get("kinetic").isNumber() && it.get("jacobian").isNumber(), it.toString());
        assertTrue(it.get("nfe_backward").asLong() > 0, it.toString());
        assertTrue(it.get("loss").asDouble() > it.get("nll").asDouble(), it.toString());
        assertEquals("hutchinson-rademacher", m.get("settings").get("divergence").asText());
        assertFalse(m.get("final").has("true_nll"), "no oracle for pinwheel");

        Path fixed = tmp.resolve("rk4");
        CliRun.Outcome f = run(train(fixed, "--dataset", "checkerboard", "--iterations", "2", "--method", "rk4", "--steps", "4"));
        assertEquals(0, f.code(), f.err());
        JsonNode fm = JSON.readTree(fixed.resolve("metrics.json").toFile());
        assertEquals(16, fm.get("iterations").get(0).get("nfe_forward").asLong(), "RK4, 4 steps: 16 evaluations");
        CliRun.Outcome e = run("density", "eval", "--model", fixed.toString(), "--points", "50");
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void csvPointsWithHeaderColumnsAndHoldout() throws Exception {
        Path csv = tmp.resolve("points.csv");
        StringBuilder sb = new StringBuilder("a,b,label\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 120; i++) {
            sb.append(10 + r.nextGaussian()).append(',').append(-5 + 0.5 * r.nextGaussian()).append(',').append(i % 2).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = tmp.resolve("csvrun");
        CliRun.Outcome o = run(train(out, "--csv", csv.toString(), "--columns", "a,b", "--iterations", "2", "--batch", "500",
                "--learn-end-time", "--gradient", "interpolated"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("--batch 500 is more than the 96 training rows"), o.out());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(24, m.get("held_out_points").asInt());
        assertEquals(96, m.get("train_rows").asInt());
        assertTrue(m.get("iterations").get(1).has("end_times"), "learned T recorded");
        assertTrue(m.get("iterations").get(1).get("nfe_backward").asLong() > 0, "adjoint backward NFE");
        for (String png : new String[] {"samples.png", "density.png", "trajectories.png"}) {
            assertPng(out.resolve(png));
        }
        // eval defaults to the model's columns and, on the training file, scores only its held-out rows; sample names them
        CliRun.Outcome e = run("density", "eval", "--model", out.toString(), "--csv", csv.toString());
        assertEquals(0, e.code(), e.err());
        assertEquals(24, JSON.readTree(e.out()).get("points").asInt());
        assertEquals(m.get("evaluations").get(m.get("evaluations").size() - 1).get("nll").asDouble(),
                JSON.readTree(e.out()).get("nll").asDouble(), 1e-12, "the run's own held-out NLL");
        Path s = tmp.resolve("s.csv");
        assertEquals(0, run("density", "sample", "--model", out.toString(), "--n", "5", "--out", s.toString()).code());
        assertEquals("a,b", Files.readAllLines(s).get(0));
        // a CSV-trained model needs data for eval
        assertUserError(run("density", "eval", "--model", out.toString()), "--csv");
        // three columns against a 2-D model
        assertUserError(run("density", "eval", "--model", out.toString(), "--csv", csv.toString(), "--columns", "a,b,label"),
                "3 columns", "expects 2");
    }

    @Test
    void unknownNamesAreUserErrors() {
        String out = tmp.resolve("o").toString();
        assertUserError(run("density", "train", "--dataset", "nope", "--out", out), "neuralode4j density train: ", "--dataset nope", "8gaussians");
        assertUserError(run("density", "train", "--dataset", "moons", "--divergence", "magic", "--out", out), "--divergence",
                "magic");
        assertUserError(run("density", "train", "--dataset", "moons", "--method", "rk99", "--out", out), "--method", "rk99");
        assertUserError(run("density", "train", "--dataset", "moons", "--method", "rk4", "--out", out), "--method rk4",
                "--steps");
        assertUserError(run("density", "train", "--dataset", "moons", "--gradient", "magic", "--out", out), "--gradient");
        assertUserError(run("density", "train", "--dataset", "moons", "--lr-schedule", "step", "--out", out), "--lr-schedule");
        assertUserError(run("density", "train", "--dataset", "moons", "--activation", "cosh", "--out", out), "--activation");
        assertUserError(run("density", "train", "--dataset", "moons", "--frobnicate", "--out", out), "frobnicate",
                "density train --help");
        assertUserError(run("density", "train", "--out", out), "--dataset", "--csv");
        assertUserError(run("density", "train", "--dataset", "moons", "--learn-end-time", "--kinetic", "0.01", "--out", out),
                "--learn-end-time", "--kinetic");
        assertUserError(run("density", "frobnicate"), "frobnicate");
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written before the options are checked");
    }

    @Test
    void badNumbersAreUserErrors() {
        String out = tmp.resolve("o").toString();
        String[][] cases = {
            {"--rtol", "-1e-5"}, {"--atol", "0"}, {"--eval-tol", "-1"}, {"--batch", "0"}, {"--iterations", "0"},
            {"--lr", "0"}, {"--weight-decay", "-1"}, {"--warmup", "-1"}, {"--eval-every", "0"}, {"--grid", "1"},
            {"--sample-points", "0"}, {"--steps", "-2"}, {"--max-steps", "0"}, {"--blocks", "0"}, {"--end-time", "0"},
            {"--kinetic", "-0.1"}, {"--jacobian", "NaN"}, {"--hidden", "64,0"}, {"--hidden", "64,x"}, {"--eval-points", "1"},
        };
        for (String[] c : cases) {
            assertUserError(run("density", "train", "--dataset", "8gaussians", c[0], c[1], "--out", out), c[0]);
        }
        assertUserError(run("density", "train", "--dataset", "8gaussians", "--lr", "abc", "--out", out), "--lr", "abc");
        assertUserError(run("density", "train", "--dataset", "8gaussians", "--iterations", "1.5", "--out", out),
                "--iterations", "1.5");
        assertFalse(Files.exists(tmp.resolve("o").resolve("metrics.json")), "no report");
    }

    @Test
    void missingAndMalformedFilesAreUserErrors() throws Exception {
        String out = tmp.resolve("o").toString();
        assertUserError(run("density", "train", "--csv", tmp.resolve("missing.csv").toString(), "--out", out), "--csv",
                "missing.csv", "does not exist");
        assertUserError(run("density", "train", "--dataset", tmp.resolve("gone.csv").toString(), "--out", out), "gone.csv");
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "x1,x2\n0.1,0.2\n0.3,oops\n0.5,0.6\n");
        assertUserError(run("density", "train", "--csv", bad.toString(), "--out", out), "bad.csv:3", "oops");
        Path ragged = tmp.resolve("ragged.csv");
        Files.writeString(ragged, "x1,x2\n0.1,0.2\n0.3\n");
        assertUserError(run("density", "train", "--csv", ragged.toString(), "--out", out), "ragged.csv:3");
        Path tiny = tmp.resolve("tiny.csv");
        Files.writeString(tiny, "x1,x2\n0.1,0.2\n0.3,0.4\n");
        assertUserError(run("density", "train", "--csv", tiny.toString(), "--out", out), "tiny.csv", "too few");
        Path ok = tmp.resolve("ok.csv");
        Files.writeString(ok, "x1,x2\n0.1,0.2\n0.3,0.4\n0.5,0.6\n0.7,0.8\n");
        assertUserError(run("density", "train", "--csv", ok.toString(), "--columns", "x1,zz", "--out", out), "zz");
        assertUserError(run("density", "train", "--csv", ok.toString(), "--holdout", "1.5", "--out", out), "--holdout");
        assertFalse(Files.exists(tmp.resolve("o").resolve("metrics.json")), "no report");

        // models
        Path nomodel = tmp.resolve("nomodel");
        assertUserError(run("density", "eval", "--model", nomodel.toString()), "--model", "nomodel");
        assertUserError(run("density", "sample", "--model", nomodel.toString(), "--out", tmp.resolve("s.csv").toString()),
                "--model", "nomodel");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(run("density", "eval", "--model", empty.toString()), "model.json");
        Path classifier = Files.createDirectories(tmp.resolve("classifier"));
        Files.writeString(classifier.resolve("model.json"), "{\"format\": \"neuralode4j-classifier-1\"}");
        assertUserError(run("density", "eval", "--model", classifier.toString()), "not a density model");
        Path garbage = Files.createDirectories(tmp.resolve("garbage"));
        Files.writeString(garbage.resolve("model.json"), "{ not json");
        assertUserError(run("density", "sample", "--model", garbage.toString(), "--out", tmp.resolve("s.csv").toString()),
                "model.json");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("model.json"), "{\"format\": \"neuralode4j-flow-1\", \"dim\": 2}");
        Files.write(broken.resolve("model.params"), new byte[] {1, 2, 3});
        assertUserError(run("density", "eval", "--model", broken.toString()), "model.json", "malformed");
    }

    @Test
    void evalAndSampleOptionErrors() throws Exception {
        Path out = tmp.resolve("m");
        assertEquals(0, run(train(out, "--dataset", "8gaussians", "--iterations", "1")).code());
        String m = out.toString();
        assertUserError(run("density", "sample", "--model", m, "--n", "0", "--out", tmp.resolve("s.csv").toString()), "--n");
        assertUserError(run("density", "eval", "--model", m, "--points", "1"), "--points");
        assertUserError(run("density", "eval", "--model", m, "--rtol", "-1"), "--rtol");
        assertUserError(run("density", "eval", "--model", m, "--dataset", "nope"), "neuralode4j density eval: ", "--dataset nope");
        assertUserError(run("density", "eval", "--model", m, "--csv", tmp.resolve("none.csv").toString()), "none.csv");
        // a parameter file that does not fit the spec
        Files.write(out.resolve("model.params"), new byte[] {1, 2, 3});
        assertUserError(run("density", "eval", "--model", m), "model.params");
    }

    @Test
    void aDivergingRunStopsWithTheIterationAndKeepsItsLastCheckpoint() throws Exception {
        Path out = tmp.resolve("nan");
        // huge weights after the first step: the next solve fails
        CliRun.Outcome o = run(train(out, "--dataset", "8gaussians", "--iterations", "5", "--lr", "1e300"));
        assertUserError(o, "iteration 2", "--lr", "outputs of iteration 0 are kept");
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("stopped", m.get("status").asText());
        assertTrue(m.get("error").asText().contains("iteration"), m.toString());
        assertEquals(0, m.get("checkpoint_iteration").asInt());
        // the last complete checkpoint is still a loadable model
        CliRun.Outcome e = run("density", "eval", "--model", out.toString(), "--points", "20");
        assertEquals(0, e.code(), e.err());

        // a failure in a periodic held-out evaluation names its iteration too
        Path out2 = tmp.resolve("nan2");
        assertUserError(run(train(out2, "--dataset", "8gaussians", "--iterations", "5", "--eval-every", "1", "--lr", "1e300")),
                "evaluation after iteration 1");
    }

    @Test
    void helpListsTheSubcommandsAndDescribesEveryOption() {
        CliRun.Outcome h = run("density", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("train") && h.out().contains("eval") && h.out().contains("sample"), h.out());
        CliRun.Outcome t = run("density", "train", "--help");
        assertEquals(0, t.code());
        for (String opt : new String[] {"--dataset", "--csv", "--iterations", "--batch", "--lr", "--weight-decay", "--seed",
            "--hidden", "--blocks", "--end-time", "--learn-end-time", "--divergence", "--kinetic", "--jacobian", "--method",
            "--steps", "--rtol", "--atol", "--gradient", "--eval-every", "--out", "--no-progress"}) {
            assertTrue(t.out().contains(opt), opt + " in help");
        }
    }
}
