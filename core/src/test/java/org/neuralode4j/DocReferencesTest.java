package org.neuralode4j;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every design document the code cites by name ({@code solvers.md §3}, {@code architecture.md §2}) is in the
 * repository: in {@code docs/spec/} or {@code docs/}. Scans the sources of every module (core, cli, bench).
 */
class DocReferencesTest {
    private static final Pattern CITED = Pattern.compile("\\b((?:[a-z0-9_-]+/)*[a-z][a-z0-9_-]*\\.md)\\b");
    /** Names that are outputs the code writes, not documents it cites. */
    private static final Set<String> WRITTEN = Set.of("report.md");

    @Test
    void everyCitedDocumentIsInTheRepository() throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(repo.resolve("docs/spec")), "docs/spec in " + repo);
        Set<String> missing = new TreeSet<>();
        int cited = 0;
        for (String module : List.of("core", "cli", "bench")) {
            Path src = repo.resolve(module).resolve("src");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = CITED.matcher(Files.readString(f));
                    while (m.find()) {
                        String name = m.group(1);
                        if (WRITTEN.contains(name.substring(name.lastIndexOf('/') + 1))) {
                            continue;
                        }
                        cited++;
                        // a path (docs/benchmarks/w1.md) is read from the repository's root, a bare name from docs/
                        boolean found = name.contains("/") ? Files.isRegularFile(repo.resolve(name))
                                : Files.isRegularFile(repo.resolve("docs/spec").resolve(name))
                                        || Files.isRegularFile(repo.resolve("docs").resolve(name));
                        if (!found) {
                            missing.add(name + " (cited in " + repo.relativize(f) + ")");
                        }
                    }
                }
            }
        }
        assertTrue(cited > 100, "citations found: " + cited);
        assertEquals(Set.of(), missing, "documents cited by the code but not in docs/");
    }
}
