package org.neuralode4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuralode4j.data.FashionMnist;
import org.neuralode4j.data.IdxFile;
import org.neuralode4j.data.ImageSet;

/** Fashion-MNIST-shaped IDX files made from the project's own images, for tests that read a data directory. */
public final class FmnistFixtures {
    private FmnistFixtures() {}

    /** Writes both splits into {@code dir} (created if needed), the training split gzipped, and returns dir. */
    public static Path write(Path dir, ImageSet train, ImageSet test) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, FashionMnist.Split.TRAIN, train, true);
        writeSplit(dir, FashionMnist.Split.TEST, test, false);
        return dir;
    }

    private static void writeSplit(Path d, FashionMnist.Split split, ImageSet set, boolean gzip) {
        byte[] px = new byte[set.size() * 784];
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < set.size(); i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    px[i * 784 + r * 28 + c] = (byte) set.pixel(i, r, c);
                }
            }
            labels[i] = (byte) set.label(i);
        }
        String gz = gzip ? ".gz" : "";
        IdxFile.write(d.resolve(split.imagesFile() + gz), new int[] {set.size(), 28, 28}, px, gzip);
        IdxFile.write(d.resolve(split.labelsFile() + gz), new int[] {set.size()}, labels, gzip);
    }
}
