package org.neuralode4j.spark.predict;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.neuralode4j.cli.run.ModelFiles;
import org.neuralode4j.tensor.Tensor;

/**
 * Scores one partition in batches of rows, lazily (a partition is never held in memory whole): each output row is the
 * input row followed by the predicted label and an error text (null when the row was scored).
 */
final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
    /**
     * Decoded models per broadcast and thread: the broadcast reaches each executor once, and each task thread
     * decodes it once, since a model's solve keeps per-call state that threads must not share.
     */
    private static final Map<Long, ThreadLocal<ModelFiles.Loaded>> MODELS = new ConcurrentHashMap<>();

    private final Broadcast<ModelBytes> model;
    private final int[] columns;
    private final List<String> names;
    private final int batch;
    private final LongAccumulator rows;
    private final LongAccumulator errors;

    ScorePartition(Broadcast<ModelBytes> model, int[] columns, List<String> names, int batch, LongAccumulator rows,
                   LongAccumulator errors) {
        this.model = model;
        this.columns = columns.clone();
        this.names = List.copyOf(names);
        this.batch = batch;
        this.rows = rows;
        this.errors = errors;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        ModelFiles.Loaded m = MODELS.computeIfAbsent(model.id(), id -> ThreadLocal.withInitial(() -> model.value().load()))
                .get();
        return new Iterator<>() {
            private Iterator<Row> scored = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!scored.hasNext() && input.hasNext()) {
                    scored = score(m, input).iterator();
                }
                return scored.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored.next();
            }
        };
    }

    /** The next batch of rows, scored in one solve. */
    private List<Row> score(ModelFiles.Loaded m, Iterator<Row> input) {
        List<Row> in = new ArrayList<>(batch);
        List<String> why = new ArrayList<>(batch);
        double[] x = new double[batch * columns.length];
        int valid = 0;
        while (in.size() < batch && input.hasNext()) {
            Row r = input.next();
            String error = FeatureRow.read(r, columns, names, x, valid * columns.length);
            in.add(r);
            why.add(error);
            if (error == null) {
                valid++;
            }
        }
        int[] pred = valid == 0 ? new int[0]
                : m.predict(Tensor.of(java.util.Arrays.copyOf(x, valid * columns.length), valid, columns.length));
        List<Row> out = new ArrayList<>(in.size());
        int k = 0;
        for (int i = 0; i < in.size(); i++) {
            Row r = in.get(i);
            Object[] v = new Object[r.length() + 2];
            for (int c = 0; c < r.length(); c++) {
                v[c] = r.get(c);
            }
            if (why.get(i) == null) {
                v[r.length()] = m.data().labels().value(pred[k++]);
            } else {
                v[r.length() + 1] = why.get(i);
            }
            out.add(RowFactory.create(v));
        }
        rows.add(in.size());
        errors.add(in.size() - valid);
        return out;
    }
}
