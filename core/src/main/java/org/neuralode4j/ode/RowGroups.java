package org.neuralode4j.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/**
 * Evaluates a right-hand side on rows at different times by grouping the rows that share a time: one call per
 * distinct time, results scattered back in row order. The fallback of {@link Dynamics#applyRows} for fields that
 * take one time per call; exact (the scatter adds zeros only).
 */
public final class RowGroups {
    private RowGroups() {}

    /** f on the rows of one time group: {@code rows} are the group's row indices into the full input. */
    @FunctionalInterface
    public interface AtTime {
        List<Tensor> apply(double t, int[] rows, List<Tensor> part);
    }

    /** Row b of the result is f at time t[b] on row b of y; f is called once per distinct time. */
    public static List<Tensor> byTime(double[] t, List<Tensor> y, AtTime f) {
        Map<Double, List<Integer>> groups = new LinkedHashMap<>();
        for (int b = 0; b < t.length; b++) {
            groups.computeIfAbsent(t[b], key -> new ArrayList<>()).add(b);
        }
        int batch = t.length;
        if (groups.size() == 1) {
            return f.apply(t[0], java.util.stream.IntStream.range(0, batch).toArray(), y);
        }
        List<Tensor> out = null;
        for (Map.Entry<Double, List<Integer>> g : groups.entrySet()) {
            int[] rows = g.getValue().stream().mapToInt(Integer::intValue).toArray();
            List<Tensor> part = new ArrayList<>(y.size());
            for (Tensor c : y) {
                part.add(Ops.indexSelect(c, rows));
            }
            List<Tensor> r = f.apply(g.getKey(), rows, part);
            if (out == null) {
                out = new ArrayList<>(r.size());
                for (Tensor c : r) {
                    out.add(Ops.indexAdd(c, rows, batch));
                }
            } else {
                for (int c = 0; c < r.size(); c++) {
                    out.set(c, Ops.add(out.get(c), Ops.indexAdd(r.get(c), rows, batch)));
                }
            }
        }
        return out;
    }
}
