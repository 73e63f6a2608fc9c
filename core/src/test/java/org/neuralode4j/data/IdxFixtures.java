package org.neuralode4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small Fashion-MNIST-shaped IDX fixtures (datasets.md §6) from an image set. */
final class IdxFixtures {
    private IdxFixtures() {}

    /** The set as the four files of one split, with the Debian names; gzipped or plain. */
    static void write(Path dir, FashionMnist.Split split, ImageSet set, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        String gz = gzip ? ".gz" : "";
        byte[] px = new byte[set.size() * set.features()];
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < set.size(); i++) {
            for (int r = 0; r < set.height(); r++) {
                for (int c = 0; c < set.width(); c++) {
                    px[(i * set.height() + r) * set.width() + c] = (byte) set.pixel(i, r, c);
                }
            }
            labels[i] = (byte) set.label(i);
        }
        IdxFile.write(dir.resolve(split.imagesFile() + gz), new int[] {set.size(), set.height(), set.width()}, px, gzip);
        IdxFile.write(dir.resolve(split.labelsFile() + gz), new int[] {set.size()}, labels, gzip);
    }

    /** Both splits: {@code train} training and {@code test} test images of the synthetic bar pattern. */
    static void writeBoth(Path dir, int train, int test, boolean gzip) throws IOException {
        write(dir, FashionMnist.Split.TRAIN, SyntheticImages.bars(train, 10, 1), gzip);
        write(dir, FashionMnist.Split.TEST, SyntheticImages.bars(test, 10, 2), gzip);
    }
}
