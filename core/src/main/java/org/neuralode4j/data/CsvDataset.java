package org.neuralode4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.neuralode4j.tensor.Tensor;

/**
 * The loader for a user's own CSV data (datasets.md §5): UTF-8 (BOM skipped), LF or CRLF, a header line naming
 * the columns, double-quoted fields (no newlines inside), blank lines skipped, finite numeric features and
 * integer labels.
 *
 * <p>Loading stops at the first problem with a one-line {@link DataException} in the spec's format
 * {@code FILE:LINE: (data row R, column "NAME", #C) problem}, where LINE is the physical line (1-based, blank
 * lines counted) so that an editor jumps straight to it, and R counts data rows from 1.
 *
 * <p>Labels are returned as written in the file (e.g. −1/1 stays −1/1). Mapping the sorted distinct values to
 * 0..K−1, and rejecting a single-class training set, is the caller's job, because the mapping must be stored with
 * the model and predict must reuse the training mapping.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * Spec §5 number syntax: optional sign, digits with '.' as decimal point, optional exponent. Stricter than
     * Double.parseDouble, which would accept "NaN", "Infinity", "1d" and hex floats.
     */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * Features (all columns except {@code labelColumn}, in file order) and integer labels. The header is required.
     *
     * @throws DataException on any malformed input; the message names the file and the 1-based line
     */
    public static LabelledSet load(Path file, String labelColumn) {
        return load(file, labelColumn, null, ',');
    }

    /**
     * As {@link #load(Path, String)}, with an explicit feature list ({@code --features}, in that order; null means
     * all columns except the label) and delimiter ({@code --delimiter}).
     */
    public static LabelledSet load(Path file, String labelColumn, List<String> features, char delimiter) {
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new DataException(file + ": no label column given");
        }
        Table t = read(file, delimiter, true);
        int labelIdx = t.column(labelColumn);
        int[] featIdx = t.featureColumns(features, labelIdx);
        int rows = t.rows.size();
        double[] x = new double[rows * featIdx.length];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            String[] f = t.rows.get(r);
            for (int c = 0; c < featIdx.length; c++) {
                x[r * featIdx.length + c] = t.number(r, featIdx[c], f[featIdx[c]]);
            }
            y[r] = t.label(r, labelIdx, f[labelIdx]);
        }
        return new LabelledSet(Tensor.of(x, rows, featIdx.length), y);
    }

    /**
     * Every column as a feature, shape [rows, columns], for predict or density training. The header is optional:
     * the first non-blank line is taken as a header unless all its fields are numbers.
     */
    public static Tensor loadFeatures(Path file) {
        return loadFeatures(file, null, ',');
    }

    /**
     * The named feature columns in the given order (a header is then required; extra columns, e.g. the label,
     * are ignored), or every column when {@code features} is null (header optional).
     */
    public static Tensor loadFeatures(Path file, List<String> features, char delimiter) {
        Table t = read(file, delimiter, features != null);
        int[] featIdx = t.featureColumns(features, -1);
        int rows = t.rows.size();
        double[] x = new double[rows * featIdx.length];
        for (int r = 0; r < rows; r++) {
            String[] f = t.rows.get(r);
            for (int c = 0; c < featIdx.length; c++) {
                x[r * featIdx.length + c] = t.number(r, featIdx[c], f[featIdx[c]]);
            }
        }
        return Tensor.of(x, rows, featIdx.length);
    }

    /** The header names of a CSV file (trimmed, unquoted), e.g. to match test columns by name. */
    public static List<String> header(Path file, char delimiter) {
        return List.of(read(file, delimiter, true).names);
    }

    // ---------------------------------------------------------------- parsing

    /** The split file: header names (or null-free generated ones), data rows and their physical line numbers. */
    private static final class Table {
        final String file;
        final String[] names;
        final int headerLine; // 0 when the file has no header
        final List<String[]> rows = new ArrayList<>();
        final List<Integer> lines = new ArrayList<>();

        Table(String file, String[] names, int headerLine) {
            this.file = file;
            this.names = names;
            this.headerLine = headerLine;
        }

        int column(String name) {
            String want = name.trim();
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(want)) {
                    return i;
                }
            }
            throw new DataException(file + ":" + headerLine + ": no column named \"" + want + "\" (columns: "
                    + String.join(", ", names) + ")");
        }

        int[] featureColumns(List<String> features, int labelIdx) {
            if (features == null) {
                int[] idx = new int[labelIdx < 0 ? names.length : names.length - 1];
                int k = 0;
                for (int i = 0; i < names.length; i++) {
                    if (i != labelIdx) {
                        idx[k++] = i;
                    }
                }
                if (idx.length == 0) {
                    throw new DataException(file + ":" + headerLine + ": no feature columns (only the label column \""
                            + names[labelIdx] + "\")");
                }
                return idx;
            }
            if (features.isEmpty()) {
                throw new DataException(file + ": empty feature list");
            }
            List<String> missing = new ArrayList<>();
            for (String f : features) {
                if (!Arrays.asList(names).contains(f.trim())) {
                    missing.add("\"" + f.trim() + "\"");
                }
            }
            if (!missing.isEmpty()) {
                throw new DataException(file + ":" + headerLine + ": no column" + (missing.size() == 1 ? "" : "s")
                        + " named " + String.join(", ", missing) + " (columns: " + String.join(", ", names) + ")");
            }
            int[] idx = new int[features.size()];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = column(features.get(k));
                if (idx[k] == labelIdx) {
                    throw new DataException(file + ":" + headerLine + ": column \"" + names[labelIdx]
                            + "\" is both the label and a feature");
                }
                for (int j = 0; j < k; j++) {
                    if (idx[j] == idx[k]) {
                        throw new DataException(file + ": feature \"" + names[idx[k]] + "\" listed twice");
                    }
                }
            }
            return idx;
        }

        private String where(int r, int c) {
            return file + ":" + lines.get(r) + ": (data row " + (r + 1) + ", column \"" + names[c] + "\", #" + (c + 1) + ") ";
        }

        double number(int r, int c, String raw) {
            String s = raw.trim();
            if (s.isEmpty()) {
                throw new DataException(where(r, c) + "empty value; every feature value must be a finite number");
            }
            if (!NUMBER.matcher(s).matches()) {
                throw new DataException(where(r, c) + "\"" + s + "\" is not a number"
                        + (isNonFiniteWord(s) ? "; NaN and infinite values are not allowed" : ""));
            }
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new DataException(where(r, c) + "\"" + s + "\" overflows a double; values must be finite");
            }
            return v;
        }

        int label(int r, int c, String raw) {
            String s = raw.trim();
            if (s.isEmpty()) {
                throw new DataException(where(r, c) + "empty label; labels must be integers");
            }
            if (!NUMBER.matcher(s).matches()) {
                throw new DataException(where(r, c) + "\"" + s + "\" is not an integer label");
            }
            double v = Double.parseDouble(s);
            // "2.0" is accepted (§5), "2.5" and values outside int range are not.
            if (v != Math.rint(v)) {
                throw new DataException(where(r, c) + "\"" + s + "\" is not an integer label");
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new DataException(where(r, c) + "label " + s + " is outside the integer range "
                        + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE + " (is it an ID column? choose the label column"
                        + " with --label)");
            }
            return (int) v;
        }
    }

    private static boolean isNonFiniteWord(String s) {
        String t = s.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
        return t.equals("nan") || t.startsWith("inf");
    }

    /**
     * Reads and splits the file. With {@code headerRequired} the first non-blank line is the header; otherwise it
     * is the header unless every field is a number.
     */
    private static Table read(Path file, char delimiter, boolean headerRequired) {
        String name = file.toString();
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new DataException(name + ": invalid delimiter '" + delimiter + "'");
        }
        // BufferedReader.readLine splits on LF, CRLF and CR alike, one call per physical line.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Table t = null;
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] f = split(line, delimiter, name, lineNo);
                if (t == null) {
                    if (headerRequired || !allNumbers(f)) {
                        t = new Table(name, headerNames(f, name, lineNo), lineNo);
                        continue;
                    }
                    String[] gen = new String[f.length];
                    for (int i = 0; i < gen.length; i++) {
                        gen[i] = "column" + (i + 1);
                    }
                    t = new Table(name, gen, 0);
                }
                if (f.length != t.names.length) {
                    throw new DataException(name + ":" + lineNo + ": (data row " + (t.rows.size() + 1) + ") " + f.length
                            + (f.length == 1 ? " field" : " fields") + ", " + (t.headerLine > 0 ? "header has " : "first row has ")
                            + t.names.length);
                }
                t.rows.add(f);
                t.lines.add(lineNo);
            }
            if (t == null) {
                throw new DataException(name + ": empty file (no header line)");
            }
            if (t.rows.isEmpty()) {
                throw new DataException(name + ":" + t.headerLine + ": header only, no data rows");
            }
            return t;
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": file not found");
        } catch (CharacterCodingException e) {
            throw new DataException(name + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    private static String[] headerNames(String[] f, String file, int lineNo) {
        String[] names = new String[f.length];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < f.length; i++) {
            names[i] = f[i].trim();
            if (names[i].isEmpty()) {
                throw new DataException(file + ":" + lineNo + ": header column #" + (i + 1) + " has no name");
            }
            Integer prev = seen.put(names[i], i);
            if (prev != null) {
                throw new DataException(file + ":" + lineNo + ": duplicate column name \"" + names[i] + "\" (#"
                        + (prev + 1) + " and #" + (i + 1) + ")");
            }
        }
        return names;
    }

    private static boolean allNumbers(String[] f) {
        return Arrays.stream(f).allMatch(s -> NUMBER.matcher(s.trim()).matches());
    }

    /**
     * Splits one line on the delimiter. A field whose first non-blank character is '"' is quoted: the delimiter
     * is literal inside it, "" stands for one quote, and spaces around the quotes are dropped.
     */
    static String[] split(String line, char delimiter, String file, int lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char ch = line.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(ch);
                    i++;
                }
                if (!closed) {
                    throw new DataException(file + ":" + lineNo + ": field #" + (out.size() + 1)
                            + " has an unterminated quote (newlines inside fields are not supported)");
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != delimiter) {
                    throw new DataException(file + ":" + lineNo + ": field #" + (out.size() + 1)
                            + " has text after its closing quote");
                }
                out.add(sb.toString());
            } else {
                i = start;
                int end = line.indexOf(delimiter, i);
                if (end < 0) {
                    end = n;
                }
                out.add(line.substring(i, end));
                i = end;
            }
            if (i >= n) {
                break;
            }
            i++; // skip the delimiter; a trailing delimiter yields a final empty field
            if (i == n) {
                out.add("");
                break;
            }
        }
        return out.toArray(new String[0]);
    }
}
