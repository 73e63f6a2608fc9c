package org.neuralode4j.cli.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.neuralode4j.tensor.Tensor;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void headlessIsSet() {
        Png.ensureHeadless();
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void decisionRegionsWritesPng() throws IOException {
        Path f = dir.resolve("regions.png");
        Examples.regions(f);
        assertPng(f);
    }

    @Test
    void decisionRegionsCallsProbabilityOnceWithWholeGrid() throws IOException {
        int[] calls = {0};
        Plots.decisionRegions(dir.resolve("r.png"), "t", new double[] {0, 1}, new double[] {0, 2}, 7, g -> {
            calls[0]++;
            assertEquals(49, g.length);
            for (double[] row : g) {
                assertEquals(2, row.length);
                assertTrue(row[0] > 0 && row[0] < 1 && row[1] > 0 && row[1] < 2);
            }
            return new double[g.length];
        }, new double[0][], new int[0]);
        assertEquals(1, calls[0]);
        assertPng(dir.resolve("r.png"));
    }

    @Test
    void trajectoriesWritesPng() throws IOException {
        Path f = dir.resolve("traj.png");
        Examples.trajectories(f);
        assertPng(f);
    }

    @Test
    void curveWritesPng() throws IOException {
        Path f = dir.resolve("nfe.png");
        Examples.curve(f);
        assertPng(f);
        Path g = dir.resolve("loss.png");
        Plots.curve(g, "loss", "epoch", "loss", Map.of("train", new double[] {3, 1, 0.1, 0.01, Double.NaN}), true);
        assertPng(g);
    }

    @Test
    void linesWritesPngAndRejectsRaggedSeries() throws IOException {
        Path f = dir.resolve("lines.png");
        Plots.lines(f, "robust accuracy", "ε", "accuracy",
                Map.of("none", new double[][] {{0, 0.05, 0.1, 0.2}, {1, 0.9, Double.NaN, 0.4}}), false);
        assertPng(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.lines(dir.resolve("bad.png"), "t", "x", "y",
                        Map.of("ragged", new double[][] {{0, 1}, {1}}), false));
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad.png")));
    }

    @Test
    void scatterWritesPng() throws IOException {
        Path f = dir.resolve("scatter.png");
        Examples.scatter(f);
        assertPng(f);
    }

    @Test
    void densityHeatmapWritesPng() throws IOException {
        Path f = dir.resolve("density.png");
        Examples.density(f);
        assertPng(f);
    }

    @Test
    void overwritesExistingFileAndCreatesParents() throws IOException {
        Path f = dir.resolve("a/b/scatter.png");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "old");
        Examples.scatter(f);
        assertPng(f);
        assertEquals(List.of(f), listAll(dir.resolve("a/b")));
    }

    @Test
    void failedWriteThrowsAndLeavesNoTempFile() throws IOException {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        assertThrows(IOException.class, () -> Png.write(smallChart(), notADir.resolve("plot.png")));
        assertEquals(List.of(notADir), listAll(dir));
        assertEquals("x", Files.readString(notADir));
    }

    @Test
    void failedMoveDeletesTempFile() throws IOException {
        // target is a non-empty directory: rendering succeeds, the rename fails
        Path target = dir.resolve("plot.png");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep"), "k");
        assertThrows(IOException.class, () -> Png.write(smallChart(), target));
        assertEquals(List.of(target.resolve("keep")), listAll(dir));
    }

    @Test
    void fontProblemsAreRecognised() {
        assertTrue(Png.isFontProblem(new Error("Probable fatal error: No fonts found.")));
        assertTrue(Png.isFontProblem(new RuntimeException("x", new UnsatisfiedLinkError("libfreetype.so.6"))));
        assertFalse(Png.isFontProblem(new IllegalArgumentException("Series name >x< has already been used")));
        assertTrue(Png.FONT_HINT.contains("fontconfig") && Png.FONT_HINT.contains("fonts-dejavu-core"));
    }

    @Test
    void labelsAreShort() {
        assertEquals("0.05", Plots.fmt(0.05));
        assertEquals("0.256", Plots.fmt(0.25612));
        assertEquals("5.44e-04", Plots.fmt(0.000544));
        assertEquals("120", Plots.fmt(120.0));
    }

    @Test
    void tensorHelpers() {
        Tensor t0 = Tensor.of(new double[][] {{1, 2, 9}, {3, 4, 9}});
        Tensor t1 = Tensor.of(new double[][] {{5, 6, 9}, {7, 8, 9}});
        assertArrayEquals(new double[] {3, 4, 9}, Plots.rows(t0)[1]);
        double[][][] p = Plots.paths(List.of(t0, t1));
        assertEquals(2, p.length);
        assertArrayEquals(new double[] {1, 2}, p[0][0]);
        assertArrayEquals(new double[] {7, 8}, p[1][1]);
        assertArrayEquals(new double[] {0.25, 0.75}, Plots.cellCenters(new double[] {0, 1}, 2));
    }

    /** Renders the examples for eyeballing: {@code -Dplots.out=/tmp/plots}. */
    @Test
    @EnabledIfSystemProperty(named = "plots.out", matches = ".+")
    void renderExamples() throws IOException {
        Path out = Path.of(System.getProperty("plots.out"));
        Examples.regions(out.resolve("regions.png"));
        Examples.trajectories(out.resolve("trajectories.png"));
        Examples.curve(out.resolve("nfe.png"));
        Plots.curve(out.resolve("loss.png"), "Training loss", "epoch", "loss (log scale)",
                Map.of("train", decay(40, 2.0, 0.05)), true);
        Plots.curve(out.resolve("short.png"), "Short run", "epoch", "accuracy",
                Map.of("test", new double[] {0.5, 0.8, 0.9, 0.95}));
        Examples.scatter(out.resolve("scatter.png"));
        Examples.density(out.resolve("density.png"));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertPng(Path f) throws IOException {
        assertTrue(Files.isRegularFile(f), f + " missing");
        byte[] bytes = Files.readAllBytes(f);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img);
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        String tmpPrefix = "." + f.getFileName() + ".";
        assertTrue(listAll(f.getParent()).stream().noneMatch(p -> p.getFileName().toString().startsWith(tmpPrefix)),
                "temp file left");
    }

    /** Regular files below {@code d}, sorted. */
    private static List<Path> listAll(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static XYChart smallChart() {
        XYChart c = new XYChartBuilder().width(200).height(100).title("t").build();
        c.addSeries("s", new double[] {0, 1}, new double[] {0, 1});
        return c;
    }

    private static double[] decay(int n, double a, double b) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = a * Math.exp(-0.15 * i) + b;
        }
        return v;
    }

    /** Synthetic inputs resembling the CLI's: two concentric rings, a spiral flow, NFE counts. */
    static final class Examples {
        static void regions(Path f) throws IOException {
            Random r = new Random(1);
            int n = 200;
            double[][] pts = new double[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2;
                double rad = (labels[i] == 0 ? 0.8 : 2.0) + 0.2 * r.nextGaussian();
                double a = 2 * Math.PI * r.nextDouble();
                pts[i] = new double[] {rad * Math.cos(a), rad * Math.sin(a)};
            }
            Plots.decisionRegions(f, "Decision regions (concentric circles)", new double[] {-3, 3},
                    new double[] {-3, 3}, 100, g -> {
                        double[] p = new double[g.length];
                        for (int k = 0; k < g.length; k++) {
                            double rr = Math.hypot(g[k][0], g[k][1]);
                            p[k] = 1 / (1 + Math.exp(-4 * (rr - 1.4)));
                        }
                        return p;
                    }, pts, labels);
        }

        static void trajectories(Path f) throws IOException {
            Random r = new Random(2);
            int n = 60;
            int steps = 30;
            double[][][] paths = new double[n][steps][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2;
                double rad = (labels[i] == 0 ? 0.8 : 2.0) + 0.1 * r.nextGaussian();
                double a = 2 * Math.PI * r.nextDouble();
                for (int k = 0; k < steps; k++) {
                    double t = k / (steps - 1.0);
                    double rk = rad * (1 + (labels[i] == 0 ? -0.5 : 0.5) * t);
                    paths[i][k] = new double[] {rk * Math.cos(a + t), rk * Math.sin(a + t), 0};
                }
            }
            Plots.trajectories(f, "Trajectories of the flow", paths, labels);
        }

        static void curve(Path f) throws IOException {
            int e = 25;
            double[] fwd = new double[e];
            double[] bwd = new double[e];
            for (int i = 0; i < e; i++) {
                fwd[i] = 26 + 2 * i + (i % 3) * 6;
                bwd[i] = 1.6 * fwd[i] + 8;
            }
            Map<String, double[]> m = new LinkedHashMap<>();
            m.put("forward", fwd);
            m.put("backward", bwd);
            Plots.curve(f, "Function evaluations per epoch", "epoch", "NFE", m);
        }

        static void scatter(Path f) throws IOException {
            Random r = new Random(3);
            double[][] data = new double[500][];
            double[][] samples = new double[500][];
            for (int i = 0; i < 500; i++) {
                double a = 2 * Math.PI * r.nextDouble();
                data[i] = new double[] {2 * Math.cos(a) + 0.1 * r.nextGaussian(), 2 * Math.sin(a) + 0.1 * r.nextGaussian()};
                double b = 2 * Math.PI * r.nextDouble();
                samples[i] = new double[] {2 * Math.cos(b) + 0.25 * r.nextGaussian(),
                    2 * Math.sin(b) + 0.25 * r.nextGaussian()};
            }
            Map<String, double[][]> m = new LinkedHashMap<>();
            m.put("data", data);
            m.put("samples", samples);
            Plots.scatter(f, "Data vs model samples", m);
        }

        static void density(Path f) throws IOException {
            int n = 80;
            double[] range = {-3, 3};
            double[] c = Plots.cellCenters(range, n);
            double[][] v = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double rr = Math.hypot(c[i], c[j]);
                    v[i][j] = Math.exp(-Math.pow(rr - 2, 2) / 0.1) / (2 * Math.PI * 2 * Math.sqrt(0.05 * Math.PI))
                            * (1 + 0.3 * Math.signum(c[i]));
                }
            }
            Plots.densityHeatmap(f, "Model density", range, range, v);
        }
    }
}
