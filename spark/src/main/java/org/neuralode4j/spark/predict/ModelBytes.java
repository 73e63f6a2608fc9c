package org.neuralode4j.spark.predict;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.ModelFiles;

/**
 * A saved model's two files as bytes: what is broadcast to the executors (a model folder on the driver's disk is not
 * on theirs). Loaded through {@link ModelFiles#load}, the same reader as {@code predict}.
 */
record ModelBytes(byte[] spec, byte[] params) implements Serializable {
    static ModelBytes read(Path dir) {
        try {
            return new ModelBytes(Files.readAllBytes(dir.resolve(ModelFiles.SPEC)),
                    Files.readAllBytes(dir.resolve(ModelFiles.PARAMS)));
        } catch (IOException e) {
            throw new NeuralOdeException("cannot read the model in " + dir + ": " + OutputDir.describe(e));
        }
    }

    /** Writes the files into a fresh temporary folder, loads them, and removes the folder. */
    ModelFiles.Loaded load() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("neuralode4j-model");
            Files.write(dir.resolve(ModelFiles.PARAMS), params);
            Files.write(dir.resolve(ModelFiles.SPEC), spec);
            return ModelFiles.load(dir);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot unpack the broadcast model: " + OutputDir.describe(e));
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // A leftover temporary folder is harmless.
                }
            }
        }
    }
}
