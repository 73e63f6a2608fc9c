package org.neuralode4j.cli.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.data.CsvDataset;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.BatchStream;
import picocli.CommandLine.Option;

/**
 * The points a density model is trained on: a built-in 2-D toy (datasets.md §1: a fresh batch every iteration and
 * a fresh held-out set) or the numeric columns of the user's CSV (a seeded held-out split).
 */
public final class DensityDataOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "Built-in 2-D density: 8gaussians, pinwheel,"
            + " checkerboard, 2spirals, circles, moons, rings, swissroll (a name ending in .csv is read as --csv).")
    public String dataset;

    @Option(names = "--csv", paramLabel = "FILE", description = "Your own points: numeric columns, header optional.")
    public Path csv;

    @Option(names = "--columns", paramLabel = "A,B,...", description = "Columns of --csv to use, by header name"
            + " (default: all columns).")
    public String columns;

    @Option(names = "--holdout", paramLabel = "FRACTION", description = "Share of --csv rows held out for the final NLL"
            + " (default ${DEFAULT-VALUE}).")
    public double holdout = 0.2;

    @Option(names = "--eval-points", paramLabel = "N", description = "Fresh points of a built-in set for the held-out NLL"
            + " (default ${DEFAULT-VALUE}).")
    public int evalPoints = 5000;

    /**
     * What training needs.
     *
     * @param name      the data set's name, or the CSV path
     * @param builtIn   true for a built-in toy
     * @param columns   the CSV columns used (null: all, or a built-in set)
     * @param stream    the training batches
     * @param heldOut   the held-out points of the final (and periodic) NLL
     * @param trainRows rows of the training split (-1 for an endless built-in stream)
     */
    public record Loaded(String name, boolean builtIn, List<String> columns, BatchStream stream, Tensor heldOut,
                         int trainRows) {
        public int dim() {
            return heldOut.dim(1);
        }
    }

    /** Loads the data: built-in sets use seed (batches) and seed + 1 (held-out), as W2; a CSV is split after a seeded shuffle. */
    public Loaded load(long seed) {
        Path file = csv;
        String name = dataset;
        if (name != null && file == null && name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            file = Path.of(name);
            name = null;
        }
        if ((name == null) == (file == null)) {
            throw new NeuralOdeException("give either --dataset NAME or --csv FILE (built-in sets: "
                    + String.join(", ", Toys2d.densityNames()) + ")");
        }
        if (name != null) {
            if (columns != null) {
                throw new NeuralOdeException("--columns applies to --csv only");
            }
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (!Toys2d.densityNames().contains(key)) {
                throw new NeuralOdeException("--dataset " + name + " is unknown: use one of "
                        + String.join(", ", Toys2d.densityNames()) + ", or a CSV file with --csv FILE");
            }
            Counts.check("--eval-points", evalPoints, 2, Counts.MAX_POINTS);
            return new Loaded(key, true, null, BatchStream.toy(key, seed), Toys2d.sample(key, evalPoints, seed + 1), -1);
        }
        if (!(holdout > 0 && holdout < 1)) {
            throw new NeuralOdeException("--holdout must be between 0 and 1 (got " + holdout + ")");
        }
        List<String> cols = parseColumns(columns);
        Tensor all = readPoints(file, cols, "--csv");
        int n = all.dim(0);
        int nHeld = (int) Math.round(n * holdout);
        if (nHeld < 2 || n - nHeld < 2) {
            throw new NeuralOdeException("--csv " + file + " has " + n + " rows: too few to hold out " + holdout
                    + " of them (need at least 2 training and 2 held-out rows)");
        }
        int[] perm = Rng.seeded(seed).permutation(n);
        Tensor held = rows(all, Arrays.copyOfRange(perm, 0, nHeld));
        Tensor train = rows(all, Arrays.copyOfRange(perm, nHeld, n));
        return new Loaded(file.toString(), false, cols, BatchStream.shuffled(train, seed), held, train.dim(0));
    }

    /** The comma-separated column list, or null. */
    public static List<String> parseColumns(String columns) {
        if (columns == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String c : columns.split(",", -1)) {
            if (c.isBlank()) {
                throw new NeuralOdeException("--columns " + columns + ": empty column name (give names like x1,x2)");
            }
            out.add(c.trim());
        }
        return out;
    }

    /**
     * The numeric rows of a CSV file (the named columns, or all), checked: the file exists, parses (a malformed row
     * is reported with its file and line), and has at least one row.
     */
    public static Tensor readPoints(Path file, List<String> cols, String option) {
        if (!Files.isRegularFile(file)) {
            throw new NeuralOdeException(option + " " + file + " does not exist or is not a file");
        }
        Tensor x = CsvDataset.loadFeatures(file, cols, ',');
        if (x.rank() != 2 || x.dim(0) < 1 || x.dim(1) < 1) {
            throw new NeuralOdeException(option + " " + file + " holds no data rows");
        }
        return x;
    }

    static Tensor rows(Tensor x, int[] idx) {
        int d = x.dim(1);
        double[] v = x.toArray();
        double[] out = new double[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(v, idx[i] * d, out, i * d, d);
        }
        return Tensor.of(out, idx.length, d);
    }
}
