package org.neuralode4j.cli.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a classifier was trained on, saved in {@code model.json} so that eval, analyze and predict treat data the way
 * training did: the same held-out split of a CSV (its seed and test fraction; otherwise a model is scored partly on
 * its own training rows), feature columns matched by header name (not by position), and the label values of its
 * classes.
 *
 * @param dataset      the built-in set's name or the CSV path
 * @param builtIn      true for a built-in set (its split does not depend on the seed)
 * @param features     the CSV feature columns in model input order, or null (built-in, or an older model file)
 * @param labelColumn  the CSV label column, or null
 * @param seed         the seed that shuffled the CSV before the split
 * @param testFraction the share of CSV rows held out
 * @param labels       the label value of each class
 */
public record ModelData(String dataset, boolean builtIn, List<String> features, String labelColumn, long seed,
                        double testFraction, ClassLabels labels) {
    /** The defaults assumed for a model file written before these fields existed. */
    static final long OLD_SEED = 0;
    static final double OLD_TEST_FRACTION = 0.2;

    public ModelData {
        features = features == null ? null : List.copyOf(features);
    }

    Map<String, Object> toJson() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", dataset);
        d.put("builtin", builtIn);
        d.put("features", features);
        d.put("label_column", labelColumn);
        d.put("seed", seed);
        d.put("test_fraction", testFraction);
        d.put("labels", labels.asList());
        return d;
    }

    /**
     * Reads the "data" object of model.json; an older file without it gets the old defaults and a note saying so.
     *
     * @throws ClassCastException, NullPointerException or IllegalArgumentException when malformed (the caller names
     *                             the file)
     */
    @SuppressWarnings("unchecked")
    static ModelData fromJson(Object json, int classes, List<String> notes) {
        if (json == null) {
            notes.add("model.json records no training data settings (written by an older version): assuming the CSV"
                    + " split of seed " + OLD_SEED + " with test fraction " + OLD_TEST_FRACTION + ", feature columns by"
                    + " position and labels 0.." + (classes - 1));
            return new ModelData(null, false, null, null, OLD_SEED, OLD_TEST_FRACTION, ClassLabels.identity(classes));
        }
        Map<String, Object> d = (Map<String, Object>) json;
        List<String> features = null;
        if (d.get("features") != null) {
            features = new ArrayList<>();
            for (Object o : (List<Object>) d.get("features")) {
                features.add((String) o);
            }
        }
        List<Object> raw = (List<Object>) d.get("labels");
        int[] labels = new int[raw.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ((Number) raw.get(i)).intValue();
        }
        if (labels.length != classes) {
            throw new IllegalArgumentException("it lists " + labels.length + " labels for " + classes + " classes");
        }
        double fraction = ((Number) d.get("test_fraction")).doubleValue();
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("test_fraction " + fraction + " is not between 0 and 1");
        }
        return new ModelData((String) d.get("dataset"), (Boolean) d.get("builtin"), features,
                (String) d.get("label_column"), ((Number) d.get("seed")).longValue(), fraction, new ClassLabels(labels));
    }
}
