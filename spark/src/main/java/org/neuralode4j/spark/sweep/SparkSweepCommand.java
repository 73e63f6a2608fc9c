package org.neuralode4j.spark.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.spark.Sessions;
import org.neuralode4j.spark.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spark sweep --command train --grid KEY=V1,V2 ... --out DIR -- BASE ARGS}: a grid over training options, one
 * Spark task per point.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Train every point of a grid over training"
        + " options as one Spark task; writes sweep.json, sweep.csv and pareto.png (quality vs NFE). Example:"
        + " spark sweep --out sw --grid reg=-,kinetic=0.01 --grid seed=0,1 -- --dataset moons --epochs 5")
public final class SparkSweepCommand implements Callable<Integer> {
    @Option(names = "--command", paramLabel = "CMD", description = "train (default) or density-train.")
    String command = "train";

    @Option(names = "--grid", required = true, paramLabel = "KEY=V1,V2,...", description = "One axis: the option --KEY"
            + " takes each value (e.g. rtol=1e-3,1e-5; gradient=direct,adjoint; seed=0,1,2; reg=-,kinetic=0.01)."
            + " Repeat for more axes; '+' inside a value stands for a comma, and the value - leaves the option out.")
    List<String> grid;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for sweep.json, sweep.csv, pareto.png.")
    Path out;

    @Parameters(paramLabel = "BASE", arity = "0..*", description = "Arguments every point shares, after --"
            + " (e.g. -- --dataset moons --epochs 5).")
    List<String> base = List.of();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        SweepTarget target = SweepTarget.of(command);
        Grid g = Grid.parse(grid);
        for (String a : base) {
            if (a.equals("--out") || a.startsWith("--out=")) {
                throw new org.neuralode4j.NeuralOdeException("the base arguments set --out: the sweep gives each"
                        + " point its own; give the sweep's folder with spark sweep --out");
            }
        }
        OutputDir dir = new OutputDir(out);
        SparkSession s = Sessions.start(spark.master, spark.attempts, "neuralode4j spark sweep");
        try {
            List<?> rows = new SparkSweep(JavaSparkContext.fromSparkContext(s.sparkContext()), System.out)
                    .run(target, base, g, dir);
            System.out.println(rows.size() + " points; table: " + dir.path("sweep.csv")
                    + (java.nio.file.Files.exists(dir.path("pareto.png")) ? ", plot: " + dir.path("pareto.png")
                    : " (no plot: no point completed)"));
        } finally {
            s.stop();
        }
        return 0;
    }
}
