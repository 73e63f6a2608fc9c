package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every Java block of the README is the text of an example program here, so the README's code is compiled and run. */
class ReadmeSnippetsTest {
    /** README heading to the example that holds its code. A new Java block in the README needs a line here. */
    private static final Map<String, String> EXAMPLES = Map.of(
            "Use it from Java", "FirstClassifier.java",
            "Solving and differentiating an ODE", "SolveAndDifferentiate.java",
            "Using the engine", "EngineTour.java");

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void everyReadmeJavaBlockIsAnExampleVerbatim() throws IOException {
        Map<String, String> blocks = ReadmeSnippets.javaBlocks(read(Path.of("..", "README.md")));
        assertEquals(new TreeMap<>(EXAMPLES).keySet(), new TreeMap<>(blocks).keySet(),
                "README headings with a Java block, against those mapped to an example in this test");
        for (Map.Entry<String, String> e : EXAMPLES.entrySet()) {
            String source = read(Path.of("src", "main", "java", "example", e.getValue()));
            List<String> readme = ReadmeSnippets.normalised(blocks.get(e.getKey()));
            List<String> example = ReadmeSnippets.normalised(ReadmeSnippets.shownPart(source));
            int i = 0;
            while (i < readme.size() && i < example.size() && readme.get(i).equals(example.get(i))) {
                i++;
            }
            if (i < readme.size() || i < example.size()) {
                fail("README section \"" + e.getKey() + "\" differs from examples/src/main/java/example/" + e.getValue()
                        + " at its code line " + (i + 1) + ":\n  README:  " + (i < readme.size() ? readme.get(i) : "(ends)")
                        + "\n  example: " + (i < example.size() ? example.get(i) : "(ends)")
                        + "\nedit both the same way (the example is what the build compiles and runs)");
            }
        }
    }

    @Test
    void comparisonIgnoresLayoutButNotCode() {
        String readme = "# T\n## A\n```java\nint x = f(1);\n\nint y = x;\n```\n";
        String block = ReadmeSnippets.javaBlocks(readme).get("A");
        String indented = "class C {\n  // README begin\n        int   x = f(1);\n  int y = x;\n  // README end\n  int z;\n}\n";
        String changed = "// README begin\nint x = f(2);\nint y = x;\n// README end\n";
        assertEquals(ReadmeSnippets.normalised(block), ReadmeSnippets.normalised(ReadmeSnippets.shownPart(indented)));
        assertNotEquals(ReadmeSnippets.normalised(block), ReadmeSnippets.normalised(ReadmeSnippets.shownPart(changed)));
        assertEquals(ReadmeSnippets.normalised("package p;\nclass C {}\n"),
                ReadmeSnippets.normalised(ReadmeSnippets.shownPart("package p;\n\nclass   C {}")), "no markers: whole file");
    }

    @Test
    void twoJavaBlocksUnderOneHeadingAreRefused() {
        String readme = "## A\n```java\na();\n```\n```java\nb();\n```\n";
        assertThrows(IllegalStateException.class, () -> ReadmeSnippets.javaBlocks(readme));
    }
}
