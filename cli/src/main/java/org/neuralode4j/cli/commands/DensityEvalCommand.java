package org.neuralode4j.cli.commands;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.options.CnfOptions;
import org.neuralode4j.cli.options.Counts;
import org.neuralode4j.cli.options.Tolerances;
import org.neuralode4j.cli.options.DensityDataOptions;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.cli.run.FlowFiles;
import org.neuralode4j.cnf.DensityEvaluation;
import org.neuralode4j.cnf.ToyDensities;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code density eval --model DIR}: held-out NLL ± standard error and NFE of a saved flow, as JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Mean negative log-likelihood (nats per point) ± its standard error, and the NFE, of a trained flow.",
            "Without --dataset/--csv, fresh points of the model's built-in training set are used (seed: training seed + 1,"
                + " the train run's held-out set). Prints JSON, or writes it to --json FILE."})
public final class DensityEvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a density train run.")
    Path model;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Built-in 2-D density to draw fresh points from"
            + " (default: the model's own, if built in).")
    String dataset;

    @Option(names = "--csv", paramLabel = "FILE", description = "Evaluate every row of this CSV file instead.")
    Path csv;

    @Option(names = "--columns", paramLabel = "A,B,...", description = "Columns of --csv (default: the model's training"
            + " columns if it was trained on named columns, else all).")
    String columns;

    @Option(names = "--points", paramLabel = "N", description = "Fresh points of a built-in set (default ${DEFAULT-VALUE}).")
    int points = 5000;

    @Option(names = "--seed", description = "Seed of the fresh points (default: the training seed + 1).")
    Long seed;

    @Option(names = "--rtol", description = "Relative tolerance of the dopri5 evaluation solver (default: as saved with the model).")
    Double rtol;

    @Option(names = "--atol", description = "Absolute tolerance of the dopri5 evaluation solver (default: as saved with the model).")
    Double atol;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON here instead of printing it.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Counts.check("--points", points, 2, Counts.MAX_POINTS);
        if (rtol != null) {
            Tolerances.rtol("--rtol", rtol);
        }
        if (atol != null) {
            Tolerances.atol("--atol", atol);
        }
        FlowFiles.Loaded m = FlowFiles.load(model);
        SolverConfig solver = CnfOptions.evaluationSolver(rtol != null ? rtol : m.evalRtol(), atol != null ? atol : m.evalAtol(),
                m.maxSteps(), "the saved evaluation tolerance in " + model.resolve(FlowFiles.SPEC));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toAbsolutePath().toString());
        String name;
        Tensor x;
        boolean eightGaussians = false;
        if (csv != null || (dataset != null && dataset.toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            if (csv != null && dataset != null) {
                throw new NeuralOdeException("give either --dataset NAME or --csv FILE, not both");
            }
            Path file = csv != null ? csv : Path.of(dataset);
            List<String> cols = columns != null ? DensityDataOptions.parseColumns(columns) : m.data().columns();
            x = DensityDataOptions.readPoints(file, cols, "--csv");
            name = file.toString();
            r.put("dataset", name);
            r.put("points", x.dim(0));
        } else {
            if (columns != null) {
                throw new NeuralOdeException("--columns applies to --csv only");
            }
            name = dataset != null ? dataset.trim().toLowerCase(Locale.ROOT) : m.data().builtIn() ? m.data().dataset() : null;
            if (name == null) {
                throw new NeuralOdeException("the model was trained on " + m.data().dataset() + ": give --csv FILE (or"
                        + " --dataset NAME) to evaluate it");
            }
            if (!Toys2d.densityNames().contains(name)) {
                throw new NeuralOdeException("--dataset " + dataset + " is unknown: use one of "
                        + String.join(", ", Toys2d.densityNames()) + ", or --csv FILE");
            }
            long s = seed != null ? seed : m.data().seed() + 1;
            x = Toys2d.sample(name, points, s);
            eightGaussians = name.equals("8gaussians");
            r.put("dataset", name);
            r.put("points", points);
            r.put("seed", s);
        }
        if (x.dim(1) != m.flow().dim()) {
            throw new NeuralOdeException("the data has " + x.dim(1) + " columns, the model expects " + m.flow().dim()
                    + (csv != null ? " (choose them with --columns)" : ""));
        }
        long t0 = System.nanoTime();
        DensityEvaluation ev = m.flow().evaluate(x, solver, Rng.seeded(m.data().seed() + 300), 10_000);
        r.put("nll", ev.meanNll());
        r.put("nll_se", ev.standardError());
        r.put("nfe", ev.nfe());
        r.put("estimator", ev.estimator());
        r.put("transport_cost", ev.transportCost());
        r.put("rtol", solver.stepControl().rtol());
        r.put("atol", solver.stepControl().atol());
        r.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (eightGaussians) {
            double[] truth = ToyDensities.eightGaussians(x);
            double trueNll = 0;
            for (double v : truth) {
                trueNll -= v / truth.length;
            }
            r.put("true_nll", trueNll);
            r.put("gap", ev.meanNll() - trueNll);
            r.put("gap_se", org.neuralode4j.cli.run.DensityRun.pairedSe(ev.logDensities(), truth));
        }
        byte[] bytes = JSON.writeValueAsBytes(r);
        if (json != null) {
            Path target = json.toAbsolutePath();
            new OutputDir(target.getParent()).write(target.getFileName().toString(), bytes);
            System.out.printf(Locale.ROOT, "NLL %.4f ± %.4f nats on %d points, NFE %d%s -> %s%n", ev.meanNll(),
                    ev.standardError(), x.dim(0), ev.nfe(), eightGaussians ? String.format(Locale.ROOT,
                            " (true %.4f, gap %.4f)", (Double) r.get("true_nll"), (Double) r.get("gap")) : "", json);
        } else {
            System.out.println(new String(bytes, StandardCharsets.UTF_8));
        }
        return 0;
    }
}
