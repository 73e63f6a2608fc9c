package org.neuralode4j;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package order of architecture.md §2 honest: in {@code core} a package imports only packages to its
 * left, and siblings (same rank) ignore each other.
 *
 * <pre>
 *   tensor.kernels → tensor → autodiff → {nn, data, ode} → sensitivity → regularize → {cnf, stability} → models
 *   → {train, analysis}
 * </pre>
 * A sub-package belongs to its parent's rank ({@code ode.loop} is {@code ode}, {@code autodiff.ops} is
 * {@code autodiff}), except {@code tensor.kernels}, which sits below {@code tensor}. The root package (holding
 * {@code NeuralOdeException}) may be used by all. Both imports and fully qualified names in code count; comments do
 * not. A package not in the table fails the test, so a new one is placed in the order deliberately.
 */
class ArchitectureTest {
    /** Rank of each top-level package; equal ranks are siblings. */
    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("tensor.kernels", 0), Map.entry("tensor", 1), Map.entry("autodiff", 2),
            Map.entry("nn", 3), Map.entry("data", 3), Map.entry("ode", 3),
            Map.entry("sensitivity", 4), Map.entry("regularize", 5),
            Map.entry("cnf", 6), Map.entry("stability", 6),
            Map.entry("models", 7), Map.entry("train", 8), Map.entry("analysis", 8));

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+org\\.neuralode4j((?:\\.[a-z]\\w*)*)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.neuralode4j((?:\\.[a-z]\\w*)*)\\.[A-Z*]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void noCorePackageImportsOneAboveOrBesideIt() throws IOException {
        Path root = Path.of("src/main/java/org/neuralode4j");
        assertTrue(Files.isDirectory(root), "run from the core module: " + root.toAbsolutePath());
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(root)) {
            for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                problems.addAll(violations(root.relativize(f).toString(), Files.readString(f)));
            }
        }
        assertTrue(files > 100, "scanned " + files + " files");
        assertEquals(List.of(), problems, "packages importing upwards or sideways (architecture.md §2)");
    }

    @Test
    void theCheckerCatchesAWrongImportAndIgnoresComments() {
        String upward = "package org.neuralode4j.tensor;\n\nimport org.neuralode4j.autodiff.Node;\n"
                + "final class Bad { Node n; }\n";
        assertEquals(List.of("Bad.java: tensor imports autodiff (rank 2 > 1)"), violations("Bad.java", upward));

        String sideways = "package org.neuralode4j.ode.loop;\nclass Bad { org.neuralode4j.nn.Linear l; }\n";
        assertEquals(List.of("Bad.java: ode.loop imports nn (a sibling of ode)"), violations("Bad.java", sideways));

        String kernelsUp = "package org.neuralode4j.tensor.kernels.simd;\nimport org.neuralode4j.tensor.Tensor;\n";
        assertEquals(1, violations("K.java", kernelsUp).size(), "tensor.kernels sits below tensor");

        String fine = "package org.neuralode4j.models;\n"
                + "import org.neuralode4j.NeuralOdeException;\nimport org.neuralode4j.ode.loop.*;\n"
                + "import org.neuralode4j.regularize.Regulariser;\n"
                + "/** See {@link org.neuralode4j.train.ClassifierTrainer}. */\n"
                + "class Ok { String s = \"org.neuralode4j.train.X\"; } // org.neuralode4j.analysis.Y\n";
        assertEquals(List.of(), violations("Ok.java", fine), "downward imports, the root, comments and strings pass");

        assertEquals(List.of("New.java: package 'newthing' is not in the order of architecture.md §2; place it there"),
                violations("New.java", "package org.neuralode4j.newthing;\n"));
    }

    /** The rule applied to one source file. */
    static List<String> violations(String file, String source) {
        String code = STRINGS.matcher(COMMENTS.matcher(source).replaceAll(" ")).replaceAll("\"\"");
        Matcher pm = PACKAGE.matcher(code);
        if (!pm.find()) {
            return List.of(file + ": no package declaration");
        }
        String pkg = strip(pm.group(1));
        if (pkg.isEmpty()) {
            return List.of();
        }
        String layer = layer(pkg);
        if (layer == null) {
            return List.of(file + ": package '" + pkg + "' is not in the order of architecture.md §2; place it there");
        }
        List<String> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String used = strip(m.group(1));
            if (used.isEmpty()) {
                continue;
            }
            String usedLayer = layer(used);
            if (usedLayer == null || usedLayer.equals(layer)) {
                continue; // unknown packages fail on their own file; a layer may use itself
            }
            int mine = RANK.get(layer);
            int theirs = RANK.get(usedLayer);
            String problem = theirs > mine ? file + ": " + pkg + " imports " + used + " (rank " + theirs + " > " + mine + ")"
                    : theirs == mine ? file + ": " + pkg + " imports " + used + " (a sibling of " + layer + ")" : null;
            if (problem != null && !out.contains(problem)) {
                out.add(problem);
            }
        }
        return out;
    }

    /** "tensor.kernels.simd" → "tensor.kernels"; "ode.loop" → "ode"; null when unknown. */
    private static String layer(String pkg) {
        if (pkg.equals("tensor.kernels") || pkg.startsWith("tensor.kernels.")) {
            return "tensor.kernels";
        }
        String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
        return RANK.containsKey(top) ? top : null;
    }

    private static String strip(String dotted) {
        return dotted.startsWith(".") ? dotted.substring(1) : dotted;
    }
}
