package org.neuralode4j.spark.predict;

import java.util.List;

/**
 * Reads a row's feature values: CSV cells arrive as text, Parquet cells as numbers. A missing, unparsable or
 * non-finite value makes the row an error row (its reason names the column) instead of failing the job.
 */
final class FeatureRow {
    private FeatureRow() {}

    /**
     * Fills {@code into[offset..offset + columns.length)} and returns null, or returns why the row cannot be scored.
     */
    static String read(org.apache.spark.sql.Row row, int[] columns, List<String> names, double[] into, int offset) {
        StringBuilder errors = null;
        for (int c = 0; c < columns.length; c++) {
            Object v = row.get(columns[c]);
            String problem = null;
            double x = Double.NaN;
            if (v == null || (v instanceof String s && s.isBlank())) {
                problem = "missing";
            } else if (v instanceof Number n) {
                x = n.doubleValue();
            } else {
                try {
                    x = Double.parseDouble(v.toString().trim());
                } catch (NumberFormatException e) {
                    problem = "not a number ('" + v + "')";
                }
            }
            if (problem == null && !Double.isFinite(x)) {
                problem = "not finite (" + x + ")";
            }
            if (problem != null) {
                errors = errors == null ? new StringBuilder() : errors.append("; ");
                errors.append(names.get(c)).append(": ").append(problem);
            } else {
                into[offset + c] = x;
            }
        }
        return errors == null ? null : errors.toString();
    }
}
