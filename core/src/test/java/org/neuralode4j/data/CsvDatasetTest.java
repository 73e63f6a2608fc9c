package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralode4j.tensor.Tensor;

/** Tests of the CSV loader (datasets.md §5, fixtures §6): valid files per feature, one file per error rule. */
class CsvDatasetTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void roundTripOfAGeneratedSet() throws IOException {
        LabelledSet s = Toys2d.labelled("moons", 257, 3);
        double[] x = s.x().toArray();
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < s.size(); i++) {
            // Double.toString is the shortest string that parses back to the same double: the trip is exact.
            b.append(x[2 * i]).append(',').append(x[2 * i + 1]).append(',').append(s.labels()[i]).append('\n');
        }
        b.append("\n\n"); // blank trailing lines
        LabelledSet back = CsvDataset.load(write("moons.csv", b.toString()), "label");
        assertArrayEquals(x, back.x().toArray(), 0.0);
        assertArrayEquals(s.labels(), back.labels());
        assertEquals(List.of(257, 2), List.of(back.x().dim(0), back.x().dim(1)));
    }

    @Test
    void bomCrlfQuotesBlankLinesLabelColumnAnywhere() throws IOException {
        Path p = write("q.csv", "\uFEFF\"y\" , x1,\"x 2\"\r\n\r\n 1 ,\"0.5\", -2e-1 \r\n\"2.0\",+.25,\"3\"\r\n\r\n");
        LabelledSet s = CsvDataset.load(p, "y");
        assertArrayEquals(new double[] {0.5, -0.2, 0.25, 3}, s.x().toArray(), 0.0);
        assertArrayEquals(new int[] {1, 2}, s.labels());
        assertEquals(List.of("y", "x1", "x 2"), CsvDataset.header(p, ','));
    }

    @Test
    void featureSelectionAndDelimiter() throws IOException {
        Path p = write("d.csv", "a;b;c;lab\n1;2;3;-1\n4;5;6;1\n");
        LabelledSet s = CsvDataset.load(p, "lab", List.of("c", "a"), ';');
        assertArrayEquals(new double[] {3, 1, 6, 4}, s.x().toArray(), 0.0);
        assertArrayEquals(new int[] {-1, 1}, s.labels());
        Tensor f = CsvDataset.loadFeatures(p, List.of("b"), ';');
        assertArrayEquals(new double[] {2, 5}, f.toArray(), 0.0);
        assertThrows(DataException.class, () -> CsvDataset.load(p, "lab", List.of("lab"), ';'));
    }

    @Test
    void loadFeaturesWithAndWithoutHeader() throws IOException {
        Tensor h = CsvDataset.loadFeatures(write("h.csv", "u,v\n1,2\n3,4\n"));
        Tensor n = CsvDataset.loadFeatures(write("n.csv", "1,2\n3,4\n"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, h.toArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4}, n.toArray(), 0.0);
        assertEquals(2, n.dim(0));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("x1,x2,label\n1,2,0\n\n1,abc,1\n",
                        "F:4: (data row 2, column \"x2\", #2) \"abc\" is not a number"),
                Arguments.of("x1,x2,label\n1,2,0\n1,2,0,7\n", "F:3: (data row 2) 4 fields, header has 3"),
                Arguments.of("x1,x2,label\n1,2\n", "F:2: (data row 1) 2 fields, header has 3"),
                Arguments.of("\nx1,x2,y\n1,2,0\n", "F:2: no column named \"label\" (columns: x1, x2, y)"),
                Arguments.of("", "F: empty file (no header line)"),
                Arguments.of("\n\r\n  \n", "F: empty file (no header line)"),
                Arguments.of("x1,x2,label\n\n", "F:1: header only, no data rows"),
                Arguments.of("x1,x2,label\n1,2,0\n3,4,0.5\n",
                        "F:3: (data row 2, column \"label\", #3) \"0.5\" is not an integer label"),
                Arguments.of("x1,x2,label\n1,2,zero\n",
                        "F:2: (data row 1, column \"label\", #3) \"zero\" is not an integer label"),
                Arguments.of("x1,x2,label\n1,NaN,0\n",
                        "F:2: (data row 1, column \"x2\", #2) \"NaN\" is not a number; NaN and infinite values are not allowed"),
                Arguments.of("x1,x2,label\n1,2,0\n-Inf,2,0\n",
                        "F:3: (data row 2, column \"x1\", #1) \"-Inf\" is not a number; NaN and infinite values are not allowed"),
                Arguments.of("x1,x2,label\n1e999,2,0\n",
                        "F:2: (data row 1, column \"x1\", #1) \"1e999\" overflows a double; values must be finite"),
                Arguments.of("x1,x2,label\n1,,0\n",
                        "F:2: (data row 1, column \"x2\", #2) empty value; every feature value must be a finite number"),
                Arguments.of("x1,x2,label\n\"1,5\",2,0\n",
                        "F:2: (data row 1, column \"x1\", #1) \"1,5\" is not a number"),
                Arguments.of("x1,x2,label\n1,\"2,0\n",
                        "F:2: field #2 has an unterminated quote (newlines inside fields are not supported)"),
                Arguments.of("x,x2,x\n1,2,0\n", "F:1: duplicate column name \"x\" (#1 and #3)"),
                Arguments.of("x1,,label\n1,2,0\n", "F:1: header column #2 has no name"),
                Arguments.of("label\n1\n", "F:1: no feature columns (only the label column \"label\")"),
                Arguments.of("x1,label\n1,2147483647\n2,2147483648\n",
                        "F:3: (data row 2, column \"label\", #2) label 2147483648 is outside the integer range"
                                + " -2147483648..2147483647 (is it an ID column? choose the label column with --label)"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputNamesFileAndLine(String content, String expected) throws IOException {
        Path p = write("bad.csv", content);
        DataException e = assertThrows(DataException.class, () -> CsvDataset.load(p, "label"));
        assertEquals(expected.replaceFirst("^F", p.toString().replace("\\", "\\\\")), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    @Test
    void labelsAtTheIntegerLimitsAreKeptAsWritten() throws IOException {
        Path p = write("limits.csv", "x,label\n1,2147483647\n2,-2147483648\n3,2147483647.0\n");
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE}, CsvDataset.load(p, "label").labels());
    }

    @Test
    void everyMissingFeatureColumnIsNamedAtOnce() throws IOException {
        Path p = write("cols.csv", "a,b,label\n1,2,0\n");
        DataException e = assertThrows(DataException.class,
                () -> CsvDataset.loadFeatures(p, java.util.List.of("a", "c", "d"), ','));
        assertEquals(p + ":1: no columns named \"c\", \"d\" (columns: a, b, label)", e.getMessage());
    }

    @Test
    void headerOrNullTellsAHeaderFromData() throws IOException {
        assertEquals(java.util.List.of("a", "b"), CsvDataset.headerOrNull(write("h.csv", "a,b\n1,2\n"), ','));
        org.junit.jupiter.api.Assertions.assertNull(CsvDataset.headerOrNull(write("n.csv", "1,2\n3,4\n"), ','));
    }

    @Test
    void crlfFileKeepsPhysicalLineNumbers() throws IOException {
        Path p = write("crlf.csv", "a,label\r\n1,0\r\n\r\n\r\n2,x\r\n");
        DataException e = assertThrows(DataException.class, () -> CsvDataset.load(p, "label"));
        assertEquals(p + ":5: (data row 2, column \"label\", #2) \"x\" is not an integer label", e.getMessage());
    }

    @Test
    void missingFileAndNonNumericPredictData() throws IOException {
        assertThrows(DataException.class, () -> CsvDataset.load(dir.resolve("nope.csv"), "y"));
        Path p = write("p.csv", "1,2\n3,b\n");
        DataException e = assertThrows(DataException.class, () -> CsvDataset.loadFeatures(p));
        assertEquals(p + ":2: (data row 2, column \"column2\", #2) \"b\" is not a number", e.getMessage());
    }
}
