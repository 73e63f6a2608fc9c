package org.neuralode4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; © Zalando SE, MIT licence) from the IDX files of the Debian
 * package {@code dataset-fashion-mnist} (datasets.md §3): 60000 training and 10000 test images of 28×28, ten
 * balanced classes. The files are found by the lookup order of §3.1 and checked as §3.2 says.
 */
public final class FashionMnist {
    public static final String NAME = "Fashion-MNIST";
    public static final String ENV = "NEURALODE4J_FMNIST_DIR";
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int SIDE = 28;
    /** Class names by index (§3.3). */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The two splits, never mixed (§3.3), by the prefix of their file names. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        public String imagesFile() {
            return prefix + "-images-idx3-ubyte";
        }

        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte";
        }
    }

    private FashionMnist() {}

    /**
     * The directory holding the files: {@code explicitDir} (the {@code --fmnist-dir} option; may be null), else
     * $NEURALODE4J_FMNIST_DIR, else {@link #DEFAULT_DIR}; a directory the user named is never replaced by another
     * ({@link DataDirs}). A directory holding any of the four files is taken (a missing sibling is then reported by
     * {@link #read}).
     *
     * @throws DataException "Fashion-MNIST not found in …" when the directory does not hold them
     */
    public static Path locate(Path explicitDir) {
        return locate(explicitDir, System.getenv());
    }

    static Path locate(Path explicitDir, Map<String, String> env) {
        DataDirs.Candidate c = new DataDirs(explicitDir, "--fmnist-dir", ENV, DEFAULT_DIR).candidate(env);
        if (!holdsAny(c.dir())) {
            throw new DataException(NAME + " not found in " + c
                    + ": install the Debian package dataset-fashion-mnist, or pass --fmnist-dir (or set " + ENV + ")");
        }
        return c.dir();
    }

    /** Locates the files and reads one split. */
    public static ImageSet load(Path explicitDir, Split split) {
        return read(locate(explicitDir), split);
    }

    /** Reads one split from {@code dir} (NAME.gz or NAME), checking both files and their agreement. */
    public static ImageSet read(Path dir, Split split) {
        return read(file(dir, split.imagesFile()), file(dir, split.labelsFile()));
    }

    /**
     * Reads an images file and its labels file of the IDX format (§3.2), anywhere: the split's files, or a user's
     * own 28×28 images for {@code predict}.
     */
    public static ImageSet read(Path imagesPath, Path labelsPath) {
        IdxFile images = readImages(imagesPath);
        IdxFile labels = IdxFile.read(labelsPath, 1);
        int n = images.dims()[0];
        if (labels.dims()[0] != n) {
            throw IdxFile.fail(labelsPath, labels.dims()[0] + " labels, but " + imagesPath.getFileName() + " holds " + n
                    + " images");
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = labels.data()[i] & 0xFF;
            if (l[i] > 9) {
                throw IdxFile.fail(labelsPath, "label " + l[i] + " at index " + i + " is not a class 0-9");
            }
        }
        return new ImageSet(NAME, SIDE, SIDE, images.data(), l, CLASSES);
    }

    /**
     * Writes {@code set} as one split's pair of IDX files into {@code dir} (gzipped: NAME.gz), the layout {@link #read}
     * takes: for data made elsewhere, and for tests that need a Fashion-MNIST directory of the project's own images.
     */
    public static void write(Path dir, Split split, ImageSet set, boolean gzip) {
        if (set.height() != SIDE || set.width() != SIDE) {
            throw new DataException(set.name() + ": images are " + set.height() + "×" + set.width() + ", Fashion-MNIST"
                    + " files hold 28×28");
        }
        int d = SIDE * SIDE;
        byte[] px = new byte[set.size() * d];
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < set.size(); i++) {
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    px[i * d + r * SIDE + c] = (byte) set.pixel(i, r, c);
                }
            }
            labels[i] = (byte) set.label(i);
        }
        String gz = gzip ? ".gz" : "";
        IdxFile.write(dir.resolve(split.imagesFile() + gz), new int[] {set.size(), SIDE, SIDE}, px, gzip);
        IdxFile.write(dir.resolve(split.labelsFile() + gz), new int[] {set.size()}, labels, gzip);
    }

    /** An IDX file of 28×28 uint8 images (§3.2 checks). */
    public static IdxFile readImages(Path imagesPath) {
        IdxFile images = IdxFile.read(imagesPath, 3);
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw IdxFile.fail(imagesPath, "images are " + images.dims()[1] + "×" + images.dims()[2] + ", expected 28×28");
        }
        return images;
    }

    private static boolean holdsAny(Path dir) {
        for (Split s : Split.values()) {
            if (exists(dir, s.imagesFile()) || exists(dir, s.labelsFile())) {
                return true;
            }
        }
        return false;
    }

    private static boolean exists(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name + ".gz")) || Files.isRegularFile(dir.resolve(name));
    }

    /** NAME.gz (the Debian package's form) or the uncompressed NAME. */
    private static Path file(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DataException(gz + ": missing (neither " + name + ".gz nor " + name + " is in " + dir
                + "): reinstall dataset-fashion-mnist or pass a --fmnist-dir holding all four files");
    }
}
