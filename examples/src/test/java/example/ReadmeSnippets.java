package example;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's fenced Java blocks, keyed by the heading they sit under, and the code an example file shows the
 * README: the whole file, or the lines between {@code // README begin} and {@code // README end} markers (several
 * regions are joined in order). Both are compared whitespace-normalised: each line trimmed, runs of blanks made
 * one, blank lines dropped, so indentation inside a class body does not count but every token does.
 */
final class ReadmeSnippets {
    static final String BEGIN = "// README begin";
    static final String END = "// README end";

    private ReadmeSnippets() {}

    /** Heading (without the #s) to the Java block under it; a heading with two Java blocks is an error. */
    static Map<String, String> javaBlocks(String markdown) {
        Map<String, String> out = new LinkedHashMap<>();
        String heading = "(before any heading)";
        StringBuilder block = null;
        for (String line : markdown.split("\n", -1)) {
            if (block != null) {
                if (line.strip().equals("```")) {
                    if (out.put(heading, block.toString()) != null) {
                        throw new IllegalStateException("README: two Java blocks under \"" + heading
                                + "\"; give each its own heading so each maps to one example");
                    }
                    block = null;
                } else {
                    block.append(line).append('\n');
                }
            } else if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "").strip();
            } else if (line.strip().equals("```java")) {
                block = new StringBuilder();
            }
        }
        if (block != null) {
            throw new IllegalStateException("README: the Java block under \"" + heading + "\" is not closed");
        }
        return out;
    }

    /** The marked regions of an example's source, or the whole source when it has no markers. */
    static String shownPart(String source) {
        if (!source.contains(BEGIN)) {
            return source;
        }
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : source.split("\n", -1)) {
            String s = line.strip();
            if (s.equals(BEGIN)) {
                inside = true;
            } else if (s.equals(END)) {
                inside = false;
            } else if (inside) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static List<String> normalised(String code) {
        List<String> lines = new ArrayList<>();
        for (String line : code.split("\n", -1)) {
            String s = line.strip().replaceAll("\\s+", " ");
            if (!s.isEmpty()) {
                lines.add(s);
            }
        }
        return lines;
    }
}
