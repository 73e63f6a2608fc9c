package org.neuralode4j.spark.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.neuralode4j.NeuralOdeException;

/** CSV or Parquet, told by the file's extension or, for a folder, by the extension its data files share. */
enum InputFormat {
    CSV("csv"), PARQUET("parquet");

    final String spark;

    InputFormat(String spark) {
        this.spark = spark;
    }

    static InputFormat of(Path input) {
        if (!Files.exists(input)) {
            throw new NeuralOdeException("--input " + input + " does not exist");
        }
        if (Files.isRegularFile(input)) {
            return byName(input).orElse(input);
        }
        try (Stream<Path> files = Files.list(input)) {
            java.util.Set<InputFormat> seen = new java.util.TreeSet<>();
            files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().startsWith("_")).forEach(p -> {
                        Found f = byName(p);
                        if (f.format != null) {
                            seen.add(f.format);
                        }
                    });
            if (seen.size() != 1) {
                throw new NeuralOdeException("--input " + input + (seen.isEmpty() ? " holds no .csv or .parquet files"
                        : " mixes .csv and .parquet files") + ": give a file, or a folder of one format");
            }
            return seen.iterator().next();
        } catch (IOException e) {
            throw new NeuralOdeException("cannot list --input " + input + ": " + e.getMessage());
        }
    }

    private record Found(InputFormat format) {
        InputFormat orElse(Path input) {
            if (format == null) {
                throw new NeuralOdeException("--input " + input + " is neither .csv nor .parquet: rename it, or give a"
                        + " folder of such files");
            }
            return format;
        }
    }

    private static Found byName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return new Found(n.endsWith(".csv") ? CSV : n.endsWith(".parquet") ? PARQUET : null);
    }
}
