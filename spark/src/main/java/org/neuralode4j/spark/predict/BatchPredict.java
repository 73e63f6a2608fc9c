package org.neuralode4j.spark.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.cli.run.ConvModelFiles;
import org.neuralode4j.cli.run.ModelFiles;

/**
 * Batch scoring with a trained feature-row classifier: reads CSV or Parquet, matches the model's feature columns by
 * header name, scores every row on the executors (the model broadcast once), and writes the input columns plus
 * {@value #PREDICTION} and {@value #ERROR} in the input's format. The output folder appears only when complete: the
 * job writes into a hidden folder beside it, renamed into place at the end.
 */
public final class BatchPredict {
    public static final String PREDICTION = "prediction";
    public static final String ERROR = "error";

    /** What one job did. */
    public record Summary(long rows, long errors, double seconds, String format) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private final Path modelDir;
    private final List<String> names;
    private final InputFormat format;
    private final Path input;
    private final Path output;
    private final int batch;

    private BatchPredict(Path modelDir, List<String> names, InputFormat format, Path input, Path output, int batch) {
        this.modelDir = modelDir;
        this.names = names;
        this.format = format;
        this.input = input;
        this.output = output;
        this.batch = batch;
    }

    /** Checks everything that can be checked before Spark starts: the model, the input's format, the output. */
    public static BatchPredict check(Path modelDir, Path input, Path output, int batch) {
        if (batch < 1) {
            throw new NeuralOdeException("--batch must be >= 1 (got " + batch + ")");
        }
        if (ConvModelFiles.isConv(modelDir)) {
            throw new NeuralOdeException("--model " + modelDir + " is an image classifier: spark predict scores"
                    + " feature rows (use predict --images for images)");
        }
        ModelFiles.Loaded m = ModelFiles.load(modelDir);
        List<String> names = m.data().features();
        if (names == null) {
            throw new NeuralOdeException("--model " + modelDir + " records no feature column names (a built-in data"
                    + " set or an older model file): spark predict matches columns by header name; train on a CSV");
        }
        InputFormat format = InputFormat.of(input);
        if (Files.exists(output)) {
            throw new NeuralOdeException("--output " + output + " already exists: choose a new folder (it is never"
                    + " overwritten)");
        }
        return new BatchPredict(modelDir, names, format, input, output, batch);
    }

    /** Scores the input on {@code spark} and moves the finished output into place. */
    public Summary run(SparkSession spark) {
        Dataset<Row> df = read(spark, format, input);
        List<String> columns = Arrays.asList(df.columns());
        int[] idx = new int[names.size()];
        for (int c = 0; c < idx.length; c++) {
            idx[c] = columns.indexOf(names.get(c));
        }
        List<String> missing = names.stream().filter(n -> !columns.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new NeuralOdeException("--input " + input + " has no column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (the model's features are " + String.join(", ", names)
                    + "; its header has " + String.join(", ", columns) + ")");
        }
        for (String reserved : List.of(PREDICTION, ERROR)) {
            if (columns.contains(reserved)) {
                throw new NeuralOdeException("--input " + input + " already has a column '" + reserved + "', which the"
                        + " output adds: rename it");
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBytes> model = jsc.broadcast(ModelBytes.read(modelDir));
        LongAccumulator rows = jsc.sc().longAccumulator("rows");
        LongAccumulator errors = jsc.sc().longAccumulator("error rows");
        StructType schema = df.schema().add(PREDICTION, DataTypes.IntegerType, true).add(ERROR, DataTypes.StringType, true);
        JavaRDD<Row> scored = df.javaRDD().mapPartitions(new ScorePartition(model, idx, names, batch, rows, errors));

        Path abs = output.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        long t0 = System.nanoTime();
        try {
            spark.createDataFrame(scored, schema).write().format(format.spark).option("header", "true")
                    .save(tmp.toUri().toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            rename(spark, tmp, abs);
            return new Summary(rows.value(), errors.value(), seconds, format.spark);
        } finally {
            delete(spark, tmp);
            model.destroy();
        }
    }

    private static Dataset<Row> read(SparkSession spark, InputFormat format, Path input) {
        String uri = input.toAbsolutePath().toUri().toString();
        return switch (format) {
            // Every cell as text: FeatureRow parses it, so a bad cell is that row's error, never the job's.
            case CSV -> spark.read().option("header", "true").option("inferSchema", "false").csv(uri);
            case PARQUET -> spark.read().parquet(uri);
        };
    }

    /** Moves the finished folder into place (one rename on the same file system). */
    private static void rename(SparkSession spark, Path from, Path to) {
        try {
            FileSystem fs = FileSystem.get(from.toUri(), spark.sparkContext().hadoopConfiguration());
            if (!fs.rename(new org.apache.hadoop.fs.Path(from.toUri()), new org.apache.hadoop.fs.Path(to.toUri()))) {
                throw new NeuralOdeException("cannot move the finished output " + from + " to " + to
                        + " (did something create it meanwhile?)");
            }
        } catch (IOException e) {
            throw new NeuralOdeException("cannot move the finished output to " + to + ": " + e.getMessage());
        }
    }

    private static void delete(SparkSession spark, Path p) {
        try {
            FileSystem fs = FileSystem.get(p.toUri(), spark.sparkContext().hadoopConfiguration());
            fs.delete(new org.apache.hadoop.fs.Path(p.toUri()), true);
        } catch (IOException ignored) {
            // Only a leftover hidden folder.
        }
    }
}
