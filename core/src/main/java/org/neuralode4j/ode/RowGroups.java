package org.neuralode4j.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.autodiff.ops.Ops;
import org.neuralode4j.tensor.Tensor;

/** Evaluates a dynamics on rows at different times by grouping rows that share a time (the fallback of applyRows). */
final class RowGroups {
    private RowGroups() {}

    static List<Tensor> applyGrouped(Dynamics f, double[] t, List<Tensor> y) {
        Map<Double, List<Integer>> groups = new LinkedHashMap<>();
        for (int b = 0; b < t.length; b++) {
            groups.computeIfAbsent(t[b], key -> new ArrayList<>()).add(b);
        }
        int batch = t.length;
        List<Tensor> out = null;
        for (Map.Entry<Double, List<Integer>> g : groups.entrySet()) {
            int[] rows = g.getValue().stream().mapToInt(Integer::intValue).toArray();
            List<Tensor> part = new ArrayList<>(y.size());
            for (Tensor c : y) {
                part.add(Ops.indexSelect(c, rows));
            }
            List<Tensor> r = f.apply(g.getKey(), part);
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
