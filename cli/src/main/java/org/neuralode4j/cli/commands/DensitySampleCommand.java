package org.neuralode4j.cli.commands;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.FlowFiles;
import org.neuralode4j.cnf.DensityGrid;
import org.neuralode4j.cnf.FlowSample;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import picocli.CommandLine.Command;
import org.neuralode4j.cli.options.Counts;
import picocli.CommandLine.Option;

/** {@code density sample --model DIR --n N --out FILE.csv}: draws from a saved flow (base draws solved back to data). */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw points from a trained flow: base draws u ~ N(0, I) solved from T back to 0. Writes a CSV"
                + " (x1,x2,... or the training column names) and optionally a PNG.")
public final class DensitySampleCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a density train run.")
    Path model;

    @Option(names = "--n", paramLabel = "N", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n = 1000;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the samples.")
    Path out;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the samples (first two coordinates), next to"
            + " fresh data when the model was trained on a built-in set.")
    Path png;

    @Option(names = "--seed", description = "Seed of the base draws (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--log-density", description = "Add a column log_p with each sample's model log-density"
            + " (carried along the solve; costs the divergence).")
    boolean logDensity;

    @Override
    public Integer call() {
        Counts.check("--n", n, 1, Counts.MAX_POINTS);
        FlowFiles.Loaded m = FlowFiles.load(model);
        if (png != null && m.flow().dim() < 2) {
            // Checked before anything is written: the CSV alone would be half of what was asked for.
            throw new NeuralOdeException("--png needs at least 2 dimensions (the model has " + m.flow().dim() + ")");
        }
        FlowSample s = m.flow().sample(n, Rng.seeded(seed), m.evaluationSolver(), logDensity);
        int d = m.flow().dim();
        List<String> names = m.data().columns();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < d; j++) {
            sb.append(j == 0 ? "" : ",").append(names != null && names.size() == d ? names.get(j) : "x" + (j + 1));
        }
        sb.append(logDensity ? ",log_p\n" : "\n");
        Tensor x = s.x();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sb.append(j == 0 ? "" : ",").append(x.getFlat(i * d + j));
            }
            if (logDensity) {
                sb.append(',').append(s.logp().getFlat(i));
            }
            sb.append('\n');
        }
        write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
        if (png != null) {
            Map<String, double[][]> panels = new LinkedHashMap<>();
            double[][] range;
            if (m.data().builtIn()) {
                panels.put("data (" + n + " fresh points)", Plots.rows(Toys2d.sample(m.data().dataset(), n, seed + 1)));
                range = new double[][] {{-DensityGrid.DEFAULT_BOX, DensityGrid.DEFAULT_BOX},
                    {-DensityGrid.DEFAULT_BOX, DensityGrid.DEFAULT_BOX}};
            } else {
                range = square(x);
            }
            panels.put("model samples (" + n + ")", Plots.rows(x));
            try {
                Plots.scatterPanels(png.toAbsolutePath(), "samples of " + model.getFileName(), panels, range[0], range[1]);
            } catch (java.io.IOException e) {
                throw new NeuralOdeException("cannot write " + png + ": " + e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "%d samples (NFE %d) -> %s%s%n", n, s.nfe(), out, png == null ? "" : ", " + png);
        return 0;
    }

    private static void write(Path file, byte[] bytes) {
        Path target = file.toAbsolutePath();
        new OutputDir(target.getParent()).write(target.getFileName().toString(), bytes);
    }

    /** A square range around the first two coordinates, 10 % padding. */
    private static double[][] square(Tensor x) {
        int d = x.dim(1);
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < x.dim(0); i++) {
            for (int c = 0; c < 2; c++) {
                double v = x.getFlat(i * d + c);
                if (Double.isFinite(v)) {
                    lo[c] = Math.min(lo[c], v);
                    hi[c] = Math.max(hi[c], v);
                }
            }
        }
        if (!(hi[0] >= lo[0]) || !(hi[1] >= lo[1])) {
            return new double[][] {{-1, 1}, {-1, 1}};
        }
        double half = Math.max(Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2 * 1.1, 1e-6);
        double cx = (lo[0] + hi[0]) / 2;
        double cy = (lo[1] + hi[1]) / 2;
        return new double[][] {{cx - half, cx + half}, {cy - half, cy + half}};
    }
}
