package org.neuralode4j.spark.predict;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neuralode4j.spark.Sessions;
import org.neuralode4j.spark.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spark predict --model DIR --input FILE_OR_DIR --output DIR}. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Score a CSV or Parquet table (a file or a"
        + " folder of files) with a trained model; writes the input columns plus prediction and error, in the input's"
        + " format. Rows with missing or non-finite features get an error instead of a prediction.")
public final class SparkPredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The --out folder of a train run.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE_OR_DIR", description = ".csv or .parquet file, or a"
            + " folder of them; columns are matched to the model's features by header name.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the scored table"
            + " (appears only when complete).")
    Path output;

    @Option(names = "--batch", paramLabel = "N", description = "Rows per solve (default ${DEFAULT-VALUE}).")
    int batch = 1024;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        BatchPredict job = BatchPredict.check(model, input, output, batch);
        SparkSession s = Sessions.start(spark.master, spark.attempts, "neuralode4j spark predict");
        try {
            BatchPredict.Summary r = job.run(s);
            System.out.printf(Locale.ROOT, "%d rows scored (%d with errors) in %.1f s: %.0f rows/s; output: %s (%s)%n",
                    r.rows(), r.errors(), r.seconds(), r.rowsPerSecond(), output, r.format());
        } finally {
            s.stop();
        }
        return 0;
    }
}
