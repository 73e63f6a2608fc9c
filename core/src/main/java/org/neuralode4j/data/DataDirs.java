package org.neuralode4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The lookup order shared by the installed data sets (datasets.md §3.1, §4.2): an explicit directory (a command
 * line option), then an environment variable, then the default location; the first candidate holding the data
 * wins. Nothing is downloaded.
 *
 * @param explicit    the option's directory, or null when not given
 * @param envVariable name of the environment variable
 * @param fallback    the default location
 */
public record DataDirs(Path explicit, String envVariable, Path fallback) {
    /** The candidates in lookup order, given the process environment. */
    public List<Path> candidates(Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        if (explicit != null) {
            out.add(explicit);
        }
        String v = env.get(envVariable);
        if (v != null && !v.isBlank()) {
            out.add(Path.of(v));
        }
        out.add(fallback);
        return out;
    }

    /** The first candidate that {@code holds} the data, or null; {@code tried} receives every candidate looked at. */
    public Path find(Map<String, String> env, Predicate<Path> holds, List<Path> tried) {
        for (Path p : candidates(env)) {
            tried.add(p);
            if (holds.test(p)) {
                return p;
            }
        }
        return null;
    }

    /** "a, b, c" for messages. */
    static String list(List<Path> dirs) {
        return dirs.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
