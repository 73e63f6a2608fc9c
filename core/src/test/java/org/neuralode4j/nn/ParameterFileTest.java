package org.neuralode4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;

/** ParameterFile: round trip, the documented layout, mismatches, truncation, corruption, atomic replacement. */
class ParameterFileTest {
    @TempDir
    Path dir;

    private static TimeSequential field(long seed) {
        return Mlp.field(new Mlp.FieldConfig(List.of(2, 5, 2), TimeInput.CONCAT_SQUASH, Activation.TANH, false), Rng.seeded(seed));
    }

    private static void assertSameValues(Parameterized a, Parameterized b) {
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value().toArray(), b.parameters().get(i).value().toArray(), 0.0,
                    a.parameters().get(i).name());
        }
    }

    private static ParameterFileException assertFails(Runnable r, String... fragments) {
        ParameterFileException e = assertThrows(ParameterFileException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void float32RecordsRoundTripAndConvertWithANote() throws IOException {
        Path f = dir.resolve("f32.params");
        TimeSequential a = field(1);
        a.to(DType.F32);
        ParameterFile.save(f, a);
        assertEquals(DType.F32, ParameterFile.dtype(f));
        for (Tensor t : ParameterFile.read(f).values()) {
            assertEquals(DType.F32, t.dtype());
        }
        TimeSequential same = field(2);
        same.to(DType.F32);
        assertTrue(ParameterFile.load(f, same).isEmpty(), "no conversion, no note");
        assertSameValues(a, same);
        TimeSequential wide = field(2);
        String note = ParameterFile.load(f, wide).orElseThrow();
        assertEquals("converted " + wide.parameters().size() + " f32 parameters of f32.params to the model's f64", note);
        for (Parameter p : wide.parameters()) {
            assertEquals(DType.F64, p.dtype());
        }
        assertSameValues(a, wide);
        // Half the bytes of the values of a float64 file of the same model.
        Path g = dir.resolve("f64.params");
        ParameterFile.save(g, wide);
        assertEquals(DType.F64, ParameterFile.dtype(g));
        long values = wide.parameterCount();
        assertEquals(Files.size(g) - 4 * values, Files.size(f));
    }

    @Test
    void roundTrip() {
        Path f = dir.resolve("model.params");
        TimeSequential a = field(1);
        ParameterFile.save(f, a);
        TimeSequential b = field(2);
        ParameterFile.load(f, b);
        assertSameValues(a, b);
        Map<String, Tensor> read = ParameterFile.read(f);
        assertEquals(a.parameters().stream().map(Parameter::name).toList(), List.copyOf(read.keySet()));
        Tensor x = Rng.seeded(3).normal(4, 2);
        assertArrayEquals(a.forward(0.5, x).toArray(), b.forward(0.5, x).toArray(), 0.0);
    }

    @Test
    void layoutIsAsDocumented() throws IOException {
        Path f = dir.resolve("one.params");
        Parameter p = new Parameter("w", Tensor.of(new double[] {1.5, -2}, 1, 2));
        ParameterFile.save(f, List.of(p));
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[8];
        b.get(magic);
        assertArrayEquals("NODE4J\0P".getBytes(StandardCharsets.US_ASCII), magic);
        assertEquals(1, b.getInt());
        assertEquals(bytes.length, b.getLong());
        assertEquals(1, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals('w', b.get());
        assertEquals(1, b.get());
        assertEquals(2, b.get());
        assertEquals(1, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(1.5, b.getDouble());
        assertEquals(-2.0, b.getDouble());
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        assertEquals((int) crc.getValue(), b.getInt());
        assertEquals(bytes.length, b.position());
    }

    @Test
    void shapeMismatchNamesFileParameterAndShapes() {
        Path f = dir.resolve("m.params");
        ParameterFile.save(f, field(1));
        TimeSequential wider = Mlp.field(new Mlp.FieldConfig(List.of(3, 5, 2), TimeInput.CONCAT_SQUASH, Activation.TANH, false),
                Rng.seeded(4));
        List<Tensor> before = wider.parameterTensors();
        assertFails(() -> ParameterFile.load(f, wider), f.toString(), "layers.0.weight", "[5, 2]", "[5, 3]");
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), wider.parameterTensors().get(i), "a failed load changes nothing");
        }
    }

    @Test
    void missingAndExtraParametersAreReported() {
        Path f = dir.resolve("m.params");
        ParameterFile.save(f, field(1));
        TimeSequential concat = Mlp.field(new Mlp.FieldConfig(List.of(2, 5, 2), TimeInput.CONCAT, Activation.TANH, false), Rng.seeded(5));
        assertFails(() -> ParameterFile.load(f, concat), "layers.0.weight", "[5, 2]", "[5, 3]");
        Parameter only = new Parameter("layers.0.bias", Tensor.zeros(5));
        assertFails(() -> ParameterFile.load(f, List.of(only)), "holds parameter 'layers.0.weight'");
        Parameter other = new Parameter("q", Tensor.scalar(1));
        assertFails(() -> ParameterFile.load(f, List.of(other)), "has no parameter 'q'");
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        Path f = dir.resolve("t.params");
        ParameterFile.save(f, field(1));
        byte[] bytes = Files.readAllBytes(f);
        for (int keep : new int[] {bytes.length - 1, bytes.length / 2, 30, 20, 5}) {
            Path g = dir.resolve("t" + keep + ".params");
            Files.write(g, Arrays.copyOf(bytes, keep));
            assertFails(() -> ParameterFile.read(g), g.toString(), "truncated");
        }
    }

    @Test
    void corruptFileIsReported() throws IOException {
        Path f = dir.resolve("c.params");
        ParameterFile.save(f, field(1));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Path g = dir.resolve("c2.params");
        Files.write(g, bytes);
        assertFails(() -> ParameterFile.read(g), g.toString(), "checksum mismatch");
        Path h = dir.resolve("not.params");
        Files.writeString(h, "hello, world, this is not a parameter file");
        assertFails(() -> ParameterFile.read(h), "bad magic");
        assertFails(() -> ParameterFile.read(dir.resolve("absent.params")), "no such file");
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("keep.params");
        TimeSequential good = field(1);
        ParameterFile.save(f, good);
        byte[] before = Files.readAllBytes(f);
        TimeSequential diverged = field(2);
        Parameter last = diverged.parameters().get(diverged.parameters().size() - 1);
        double[] v = last.value().toArray();
        v[v.length - 1] = Double.NaN;
        last.set(Tensor.of(v, last.shape().dims()));
        // The NaN sits in the last record, so the temporary file is mostly written when the save fails.
        assertFails(() -> ParameterFile.save(f, diverged), f.toString(), "NaN", last.name());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left behind");
        }
        TimeSequential reloaded = field(3);
        ParameterFile.load(f, reloaded);
        assertSameValues(good, reloaded);
        assertFails(() -> ParameterFile.save(dir.resolve("missing-dir").resolve("x.params"), good), "cannot write");
    }

    @Test
    void saveReplacesAnExistingFile() {
        Path f = dir.resolve("r.params");
        ParameterFile.save(f, field(1));
        TimeSequential b = field(2);
        ParameterFile.save(f, b);
        TimeSequential c = field(3);
        ParameterFile.load(f, c);
        assertSameValues(b, c);
    }
}
