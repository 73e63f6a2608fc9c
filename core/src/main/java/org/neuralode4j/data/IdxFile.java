package org.neuralode4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file of unsigned bytes (LeCun's MNIST format, used by Fashion-MNIST; datasets.md §3.2), gzipped or
 * plain: the sizes from its header and its data. Every malformed case fails with a {@link DataException} whose
 * one-line message starts with the file's path.
 *
 * @param dims the sizes of the header, outermost first
 * @param data the elements in row-major order (last index fastest)
 */
public record IdxFile(int[] dims, byte[] data) {
    private static final int UINT8 = 0x08;

    /**
     * Reads {@code file}, which must hold uint8 data of {@code rank} dimensions; a gzip stream is recognised by
     * its magic bytes 1f 8b, whatever the file's name.
     */
    public static IdxFile read(Path file, int rank) {
        byte[] b = bytes(file);
        if (b.length < 4) {
            throw fail(file, "truncated: " + b.length + " bytes, an IDX header needs at least 4");
        }
        if (b[0] != 0 || b[1] != 0) {
            throw fail(file, String.format("not an IDX file (first bytes %02x %02x, expected 00 00) and not gzip",
                    b[0] & 0xFF, b[1] & 0xFF));
        }
        int type = b[2] & 0xFF;
        if (type != UINT8) {
            throw fail(file, "element type " + typeName(type) + ", expected uint8 (0x08)");
        }
        int d = b[3] & 0xFF;
        if (d != rank) {
            throw fail(file, d + " dimensions, expected " + rank);
        }
        long header = 4L + 4L * d;
        if (b.length < header) {
            throw fail(file, "truncated: expected a header of " + header + " bytes, found " + b.length);
        }
        int[] dims = new int[d];
        long expected = header;
        long elements = 1;
        for (int k = 0; k < d; k++) {
            int at = 4 + 4 * k;
            long size = ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
            if (size > Integer.MAX_VALUE) {
                throw fail(file, "dimension " + k + " has size " + size);
            }
            dims[k] = (int) size;
            elements *= size;
        }
        expected += elements;
        if (b.length < expected) {
            throw fail(file, "truncated: expected " + expected + " bytes, found " + b.length);
        }
        if (b.length > expected) {
            throw fail(file, "trailing bytes: expected " + expected + " bytes, found " + b.length);
        }
        return new IdxFile(dims, Arrays.copyOfRange(b, (int) header, b.length));
    }

    /**
     * Writes uint8 data with the given sizes as an IDX file, gzipped when {@code gzip}: the form the tests' fixtures
     * and the committed Fashion-MNIST subset take.
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0);
        b.write(0);
        b.write(UINT8);
        b.write(dims.length);
        for (int d : dims) {
            b.write(d >>> 24);
            b.write(d >>> 16);
            b.write(d >>> 8);
            b.write(d);
        }
        b.write(data, 0, data.length);
        try (java.io.OutputStream raw = Files.newOutputStream(file);
             java.io.OutputStream out = gzip ? new java.util.zip.GZIPOutputStream(raw) : raw) {
            b.writeTo(out);
        } catch (IOException e) {
            throw fail(file, "cannot be written (" + e.getMessage() + ")");
        }
    }

    /** The file's bytes, decompressed if it is gzipped. */
    private static byte[] bytes(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] start = raw.readNBytes(2);
            boolean gzip = start.length == 2 && (start[0] & 0xFF) == 0x1f && (start[1] & 0xFF) == 0x8b;
            if (!gzip) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.write(start);
                raw.transferTo(all);
                return all.toByteArray();
            }
        } catch (IOException e) {
            throw fail(file, "cannot be read (" + e.getMessage() + ")");
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw fail(file, "gzip stream is truncated or corrupt (" + e.getMessage() + ")");
        }
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09:
                return "int8 (0x09)";
            case 0x0B:
                return "int16 (0x0b)";
            case 0x0C:
                return "int32 (0x0c)";
            case 0x0D:
                return "float32 (0x0d)";
            case 0x0E:
                return "float64 (0x0e)";
            default:
                return String.format("0x%02x (not an IDX type)", type);
        }
    }

    static DataException fail(Path file, String problem) {
        return new DataException(file + ": " + problem);
    }
}
