package org.neuralode4j.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where an installed data set is looked for (datasets.md §3.1, §4.2): the directory the user named (a command line
 * option, else an environment variable), or the default location when they named none. Nothing is downloaded.
 *
 * <p>A named directory is never replaced by another: a mistyped {@code --mnist-dir} must fail and say so, not
 * train silently on whatever copy happens to sit in the default location.
 *
 * @param explicit    the option's directory, or null when not given
 * @param option      the option's name, for messages ("--mnist-dir")
 * @param envVariable name of the environment variable
 * @param fallback    the default location
 */
public record DataDirs(Path explicit, String option, String envVariable, Path fallback) {
    /** The one directory to look in, and who named it. */
    public record Candidate(Path dir, String source) {
        @Override
        public String toString() {
            return dir + " (" + source + ")";
        }
    }

    /** The directory to look in, given the process environment. */
    public Candidate candidate(Map<String, String> env) {
        if (explicit != null) {
            return new Candidate(explicit, option);
        }
        String v = env.get(envVariable);
        if (v != null && !v.isBlank()) {
            return new Candidate(Path.of(v), "$" + envVariable);
        }
        return new Candidate(fallback, "the default location");
    }
}
