package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralode4j.tensor.Tensor;

/** The Fashion-MNIST IDX reader on fixtures the test writes (datasets.md §3.2, §6): valid and one per rule. */
class FashionMnistTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void roundTripOfAFixture(boolean gzip) throws IOException {
        ImageSet src = SyntheticImages.bars(40, 10, 5);
        IdxFixtures.write(dir, FashionMnist.Split.TEST, src, gzip);
        IdxFixtures.write(dir, FashionMnist.Split.TRAIN, SyntheticImages.bars(20, 10, 6), gzip);
        ImageSet back = FashionMnist.read(dir, FashionMnist.Split.TEST);
        assertEquals(40, back.size());
        assertEquals(FashionMnist.NAME, back.name());
        assertArrayEquals(src.labels(), back.labels());
        for (int i = 0; i < 40; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    assertEquals(src.pixel(i, r, c), back.pixel(i, r, c));
                }
            }
        }
        assertEquals(20, FashionMnist.read(dir, FashionMnist.Split.TRAIN).size());
    }

    @Test
    void pixelsAreBytesOver255InRowMajorOrder() throws IOException {
        byte[] px = new byte[2 * 784];
        px[0] = (byte) 255; // image 0, top-left
        px[28 + 3] = (byte) 51; // image 0, row 1, column 3
        px[784 + 783] = (byte) 128; // image 1, bottom-right
        IdxFile.write(dir.resolve("t10k-images-idx3-ubyte"), new int[] {2, 28, 28}, px, false);
        IdxFile.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new byte[] {9, 0}, false);
        ImageSet s = FashionMnist.read(dir, FashionMnist.Split.TEST);
        LabelledSet rows = s.rows(new int[] {1, 0});
        Tensor x = rows.x();
        assertEquals(784, x.dim(1));
        assertEquals(128 / 255.0, x.get(0, 783), 0);
        assertEquals(1.0, x.get(1, 0), 0);
        assertEquals(0.2, x.get(1, 31), 1e-15);
        assertArrayEquals(new int[] {0, 9}, rows.labels());
        double max = Arrays.stream(x.toArray()).max().orElseThrow();
        double min = Arrays.stream(x.toArray()).min().orElseThrow();
        assertTrue(min >= 0 && max <= 1);
    }

    private Path idx(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] header(int type, int... dims) {
        byte[] h = new byte[4 + 4 * dims.length];
        h[2] = (byte) type;
        h[3] = (byte) dims.length;
        for (int k = 0; k < dims.length; k++) {
            h[4 + 4 * k] = (byte) (dims[k] >>> 24);
            h[5 + 4 * k] = (byte) (dims[k] >>> 16);
            h[6 + 4 * k] = (byte) (dims[k] >>> 8);
            h[7 + 4 * k] = (byte) dims[k];
        }
        return h;
    }

    private static byte[] concat(byte[] a, int extra) {
        return Arrays.copyOf(a, a.length + extra);
    }

    /** One line naming the file, with the problem. */
    private static void assertFails(Path file, String problem, Runnable r) {
        DataException e = assertThrows(DataException.class, r::run);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badMagic() throws IOException {
        Path p = idx("bad", concat(new byte[] {1, 2, 8, 1, 0, 0, 0, 1}, 1));
        assertFails(p, "not an IDX file (first bytes 01 02, expected 00 00) and not gzip", () -> IdxFile.read(p, 1));
    }

    @Test
    void wrongElementTypeIsNamed() throws IOException {
        Path p = idx("float", concat(header(0x0D, 1), 4));
        assertFails(p, "element type float32 (0x0d), expected uint8", () -> IdxFile.read(p, 1));
    }

    @Test
    void wrongNumberOfDimensions() throws IOException {
        Path p = idx("rank", concat(header(8, 2, 3), 6));
        assertFails(p, "2 dimensions, expected 3", () -> IdxFile.read(p, 3));
    }

    @Test
    void truncatedData() throws IOException {
        Path p = idx("short", concat(header(8, 2, 28, 28), 2 * 784 - 5));
        assertFails(p, "truncated: expected " + (16 + 2 * 784) + " bytes, found " + (16 + 2 * 784 - 5), () -> IdxFile.read(p, 3));
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = idx("stub", new byte[] {0, 0, 8, 3, 0, 0});
        assertFails(p, "truncated: expected a header of 16 bytes, found 6", () -> IdxFile.read(p, 3));
    }

    @Test
    void trailingBytes() throws IOException {
        Path p = idx("long", concat(header(8, 3), 3 + 2));
        assertFails(p, "trailing bytes: expected 11 bytes, found 13", () -> IdxFile.read(p, 1));
    }

    @Test
    void truncatedGzipStream() throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(concat(header(8, 100), 100));
        }
        byte[] whole = b.toByteArray();
        Path p = idx("cut.gz", Arrays.copyOf(whole, whole.length - 12));
        assertFails(p, "gzip stream is truncated or corrupt", () -> IdxFile.read(p, 1));
    }

    @Test
    void imagesNot28x28() throws IOException {
        IdxFile.write(dir.resolve("t10k-images-idx3-ubyte"), new int[] {2, 27, 28}, new byte[2 * 27 * 28], false);
        IdxFile.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new byte[2], false);
        assertFails(dir.resolve("t10k-images-idx3-ubyte"), "images are 27×28, expected 28×28",
                () -> FashionMnist.read(dir, FashionMnist.Split.TEST));
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        IdxFile.write(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {3, 28, 28}, new byte[3 * 784], true);
        IdxFile.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {2}, new byte[2], true);
        assertFails(dir.resolve("t10k-labels-idx1-ubyte.gz"), "2 labels, but t10k-images-idx3-ubyte.gz holds 3 images",
                () -> FashionMnist.read(dir, FashionMnist.Split.TEST));
    }

    @Test
    void labelAboveNineGivesItsIndex() throws IOException {
        IdxFile.write(dir.resolve("t10k-images-idx3-ubyte"), new int[] {3, 28, 28}, new byte[3 * 784], false);
        IdxFile.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {3}, new byte[] {1, 2, 10}, false);
        assertFails(dir.resolve("t10k-labels-idx1-ubyte"), "label 10 at index 2 is not a class 0-9",
                () -> FashionMnist.read(dir, FashionMnist.Split.TEST));
    }

    @Test
    void missingSiblingFileIsNamed() throws IOException {
        IdxFile.write(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {1, 28, 28}, new byte[784], true);
        assertFails(dir.resolve("t10k-labels-idx1-ubyte.gz"), "missing",
                () -> FashionMnist.read(dir, FashionMnist.Split.TEST));
    }

    @Test
    void lookupOrderAndNotFoundMessage() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path env = dir.resolve("env");
        IdxFixtures.writeBoth(env, 10, 10, true);
        Path opt = dir.resolve("opt");
        IdxFixtures.writeBoth(opt, 10, 10, false);
        Path nowhere = dir.resolve("nowhere");
        Map<String, String> withEnv = Map.of(FashionMnist.ENV, env.toString());
        assertEquals(opt, FashionMnist.locate(opt, withEnv));
        assertEquals(env, FashionMnist.locate(null, withEnv));
        // a directory the user named is never replaced by the environment's or the default one
        DataException e = assertThrows(DataException.class, () -> FashionMnist.locate(empty, withEnv));
        assertEquals("Fashion-MNIST not found in " + empty + " (--fmnist-dir): install the Debian package"
                + " dataset-fashion-mnist, or pass --fmnist-dir (or set NEURALODE4J_FMNIST_DIR)", e.getMessage());
        e = assertThrows(DataException.class, () -> FashionMnist.locate(null, Map.of(FashionMnist.ENV,
                nowhere.toString())));
        assertEquals("Fashion-MNIST not found in " + nowhere + " ($NEURALODE4J_FMNIST_DIR): install the Debian"
                + " package dataset-fashion-mnist, or pass --fmnist-dir (or set NEURALODE4J_FMNIST_DIR)", e.getMessage());
        if (!Files.isDirectory(FashionMnist.DEFAULT_DIR)) {
            e = assertThrows(DataException.class, () -> FashionMnist.locate(null, Map.of()));
            assertTrue(e.getMessage().startsWith("Fashion-MNIST not found in " + FashionMnist.DEFAULT_DIR
                    + " (the default location): "), e.getMessage());
        }
    }

    @Test
    void subsetsAreSeededAndKeepFileOrder() {
        ImageSet s = SyntheticImages.bars(100, 10, 3);
        ImageSet a = s.sample(30, 7);
        ImageSet b = s.sample(30, 7);
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(30, a.size());
        assertFalse(Arrays.equals(a.rows(new int[] {0, 1, 2, 3, 4, 5}).x().toArray(),
                s.sample(30, 8).rows(new int[] {0, 1, 2, 3, 4, 5}).x().toArray()));
        assertArrayEquals(Arrays.copyOf(s.labels(), 12), s.first(12).labels());
        assertThrows(DataException.class, () -> s.first(101));
    }
}
