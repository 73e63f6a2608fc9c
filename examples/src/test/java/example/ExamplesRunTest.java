package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs each example's main as a user would and checks what it prints. */
class ExamplesRunTest {
    private interface Main {
        void run(String[] args) throws Exception;
    }

    private static List<String> output(Main main) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            main.run(new String[0]);
        } finally {
            System.setOut(saved);
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        lines.forEach(saved::println);
        return lines;
    }

    private static double number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertTrue(m.matches(), "unexpected line: " + line);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void firstClassifierLearnsTheMoons() throws Exception {
        List<String> out = output(FirstClassifier::main);
        assertEquals(11, out.size(), "10 epoch lines and the test accuracy");
        double first = number(out.get(0), "epoch 1  loss (\\S+)");
        double last = number(out.get(9), "epoch 10  loss (\\S+)");
        assertTrue(last < 0.5 * first, "loss should fall by more than half: " + first + " -> " + last);
        double accuracy = number(out.get(10), "test accuracy (\\S+)");
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy);
    }

    @Test
    void solveAndDifferentiateRunsTheBackwardSolve() throws Exception {
        List<String> out = output(SolveAndDifferentiate::main);
        assertEquals(2, out.size());
        assertTrue(number(out.get(0), "nfe=(\\d+) .*") > 0, out.get(0));
        assertTrue(number(out.get(0), ".*backward nfe=(\\d+),.*") > 0, "IRDM must have solved backward: " + out.get(0));
        assertEquals("gradients: 6 parameter tensors", out.get(1), "3 layers, weight and bias each");
    }

    @Test
    void engineTourGivesSecondOrderGradientsOfTheInputsShapes() throws Exception {
        assertEquals(List.of("y [8, 16], second-order gradients [8, 3] [16, 3]"), output(EngineTour::main));
    }
}
