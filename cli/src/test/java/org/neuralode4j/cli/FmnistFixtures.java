package org.neuralode4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuralode4j.data.FashionMnist;
import org.neuralode4j.data.ImageSet;

/** Fashion-MNIST-shaped IDX files made from the project's own images, for tests that read a data directory. */
public final class FmnistFixtures {
    private FmnistFixtures() {}

    /** Writes both splits into {@code dir} (created if needed), the training split gzipped, and returns dir. */
    public static Path write(Path dir, ImageSet train, ImageSet test) throws IOException {
        Files.createDirectories(dir);
        FashionMnist.write(dir, FashionMnist.Split.TRAIN, train, true);
        FashionMnist.write(dir, FashionMnist.Split.TEST, test, false);
        return dir;
    }
}
