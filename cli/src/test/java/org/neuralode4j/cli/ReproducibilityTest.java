package org.neuralode4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralode4j.tensor.kernels.KernelTuning;

/**
 * The same command with the same seed and thread count gives bit-identical metrics.json numbers (every field but the
 * timings) and parameter files, for classifier and density training, at 1 and at 2 threads. For the classifier the
 * threads are data-parallel shards ({@code --threads}); for the density run they are the kernel threads
 * ({@code -Dneuralode4j.threads}), exercised here with a batch large enough for the GEMMs to split.
 */
class ReproducibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void classifierTrainingIsBitReproducible(int threads) throws Exception {
        Path[] outs = {tmp.resolve("a"), tmp.resolve("b")};
        for (Path out : outs) {
            CliRun.Outcome o = CliRun.run("train", "--dataset", "moons", "--train-size", "256", "--test-size", "128",
                    "--epochs", "2", "--batch", "128", "--width", "16", "--seed", "7", "--threads", String.valueOf(threads),
                    "--reg", "kinetic=0.01", "--no-progress", "--out", out.toString());
            assertEquals(0, o.code(), o.err());
        }
        assertSameRun(outs[0], outs[1], "epochs");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void densityTrainingIsBitReproducible(int threads) throws Exception {
        int before = KernelTuning.maxThreads();
        try {
            Path[] outs = {tmp.resolve("a"), tmp.resolve("b")};
            for (Path out : outs) {
                KernelTuning.setMaxThreads(threads);
                CliRun.Outcome o = CliRun.run("density", "train", "--dataset", "8gaussians", "--iterations", "2", "--batch",
                        "512", "--hidden", "64,64", "--eval-every", "2", "--eval-points", "64", "--grid", "8",
                        "--sample-points", "16", "--seed", "3", "--rtol", "1e-4", "--atol", "1e-4", "--eval-tol", "1e-4",
                        "--no-progress", "--out", out.toString());
                assertEquals(0, o.code(), o.err());
            }
            assertSameRun(outs[0], outs[1], "iterations");
        } finally {
            KernelTuning.setMaxThreads(before);
        }
    }

    /** metrics.json equal but for timings (and not trivially: the history is there), and the same parameter bytes. */
    private static void assertSameRun(Path a, Path b, String history) throws Exception {
        JsonNode ma = withoutTimings(JSON.readTree(a.resolve("metrics.json").toFile()));
        JsonNode mb = withoutTimings(JSON.readTree(b.resolve("metrics.json").toFile()));
        assertEquals("complete", ma.get("status").asText());
        assertEquals(2, ma.get(history).size(), ma.toString());
        assertEquals(ma, mb);
        assertArrayEquals(Files.readAllBytes(a.resolve("model.params")), Files.readAllBytes(b.resolve("model.params")));
    }

    /** The tree without any field whose name says it is a time ("seconds", "wall_seconds", "cpu_seconds", ...). */
    static JsonNode withoutTimings(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> drop = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (f.contains("seconds")) {
                    drop.add(f);
                } else {
                    withoutTimings(o.get(f));
                }
            }
            o.remove(drop);
        } else if (n.isArray()) {
            n.forEach(ReproducibilityTest::withoutTimings);
        }
        return n;
    }
}
