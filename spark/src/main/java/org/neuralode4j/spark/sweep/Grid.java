package org.neuralode4j.spark.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralode4j.NeuralOdeException;

/**
 * A grid over command-line options: each axis an option name and its values, the points their cartesian product in
 * order (the last axis varies fastest). Written {@code --grid KEY=V1,V2,...}, one per axis; a point passes
 * {@code --KEY V} for each axis. Inside a value, '+' stands for a comma, for options whose own syntax has commas
 * ({@code --grid reg=kinetic=0.01+jacobian=0.01} is the single value "kinetic=0.01,jacobian=0.01"), and the value
 * {@value #DEFAULT} leaves the option out, so the command's default applies ({@code --grid reg=-,kinetic=0.01}: no
 * regulariser, then kinetic).
 */
public record Grid(Map<String, List<String>> axes) implements Serializable {
    public Grid {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        axes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        axes = java.util.Collections.unmodifiableMap(copy);
    }

    /** The value that leaves an axis's option out. */
    public static final String DEFAULT = "-";

    /** Options the sweep sets itself. */
    private static final List<String> RESERVED = List.of("out", "help", "version");

    public static Grid parse(List<String> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new NeuralOdeException("give at least one --grid KEY=V1,V2,... (e.g. --grid rtol=1e-3,1e-5)");
        }
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = eq < 0 ? spec : spec.substring(0, eq).trim().replaceFirst("^--", "");
            if (eq < 0 || !key.matches("[a-z][a-z0-9-]*")) {
                throw new NeuralOdeException("--grid " + spec + " is not KEY=V1,V2,... with KEY an option name"
                        + " without its dashes (e.g. --grid rtol=1e-3,1e-5)");
            }
            if (RESERVED.contains(key)) {
                throw new NeuralOdeException("--grid " + key + " cannot be swept: the sweep sets --" + key + " itself");
            }
            if (axes.containsKey(key)) {
                throw new NeuralOdeException("--grid " + key + " is given twice: list all its values in one --grid");
            }
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) {
                    throw new NeuralOdeException("--grid " + spec + " has an empty value");
                }
                values.add(v.trim().replace('+', ','));
            }
            if (values.stream().distinct().count() != values.size()) {
                throw new NeuralOdeException("--grid " + spec + " repeats a value");
            }
            axes.put(key, values);
        }
        return new Grid(axes);
    }

    /** Every point, as KEY → value in axis order. */
    public List<Map<String, String>> points() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            out = next;
        }
        return out.stream().map(java.util.Collections::unmodifiableMap).toList();
    }
}
