package org.neuralode4j.nn;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.neuralode4j.tensor.DType;
import org.neuralode4j.tensor.Shape;
import org.neuralode4j.tensor.Tensor;

/**
 * Saves and loads a module's parameters (checkpoints) in a small self-checking binary format.
 *
 * <p><b>Format, version 1.</b> All integers are big-endian (Java's {@code DataOutput}).
 * <pre>
 *   offset  bytes  field
 *   0       8      magic "NODE4J\0P" = 4E 4F 44 45 34 4A 00 50
 *   8       4      int32 format version = 1
 *   12      8      int64 total file length in bytes, header and checksum included
 *   20      4      int32 number of parameters P
 *   24      ...    P records, in the module's parameter order:
 *                    int32 L, the length of the name in bytes; L bytes of UTF-8 name (e.g. "layers.0.weight")
 *                    uint8 dtype code: 1 = f64, 2 = f32
 *                    uint8 rank r (0..4); r × int32 dimensions
 *                    the values, row-major, each an IEEE-754 binary64 (8 bytes) or binary32 (4 bytes)
 *   end − 4 4      CRC32 (java.util.zip.CRC32, as unsigned 32 bits) of every preceding byte
 * </pre>
 * The declared length tells a truncated file (a crash mid-copy) from a corrupted one (checksum mismatch).
 *
 * <p><b>Writing</b> is atomic: the data go to a temporary file in the target's directory, are forced to disk,
 * and the temporary file is renamed over the target ({@code ATOMIC_MOVE}), so a crash or an error leaves either
 * the previous file or the new one, never a mixture. Parameters holding NaN or Inf are refused, so a diverged
 * run cannot overwrite the last good checkpoint.
 *
 * <p><b>Loading</b> checks magic, version, length and checksum, then matches the parameters by name against the
 * module and checks every shape before changing anything: a file that does not fit leaves the module as it was.
 * Each record keeps its parameter's dtype; loading into a module of another dtype converts the values (f64 → f32
 * rounds to nearest) and says so in the one-line note that {@link #load} returns. Files of float64 parameters are
 * byte-identical to those of earlier builds, which read any file without f32 records.
 */
public final class ParameterFile {
    /** "NODE4J\0P". */
    private static final byte[] MAGIC = {'N', 'O', 'D', 'E', '4', 'J', 0, 'P'};
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 24;
    private static final int CHECKSUM_BYTES = 4;
    private static final int F64_CODE = 1;
    private static final int F32_CODE = 2;

    private ParameterFile() {}

    /** Writes every parameter of {@code module} to {@code file}, atomically replacing any previous file. */
    public static void save(Path file, Parameterized module) {
        save(file, module.parameters());
    }

    /**
     * Writes {@code params} (unique names) to {@code file}, atomically replacing any previous file.
     *
     * @throws ParameterFileException on I/O failure, duplicate names or non-finite values; the previous file,
     *                                if any, is then unchanged
     */
    public static void save(Path file, List<Parameter> params) {
        List<byte[]> names = new ArrayList<>(params.size());
        List<Tensor> values = new ArrayList<>(params.size());
        Set<String> seen = new HashSet<>();
        long total = HEADER_BYTES + CHECKSUM_BYTES;
        for (Parameter p : params) {
            if (!seen.add(p.name())) {
                throw new ParameterFileException(file, "two parameters are named '" + p.name() + "'");
            }
            Tensor v = p.value();
            byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            values.add(v);
            total += 4L + name.length + 2 + 4L * v.rank() + (long) v.dtype().bytes() * v.size();
        }

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), crc));
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(total);
                out.writeInt(params.size());
                for (int i = 0; i < params.size(); i++) {
                    writeRecord(file, out, params.get(i).name(), names.get(i), values.get(i));
                }
                out.writeInt((int) crc.getValue());
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new ParameterFileException(file, "cannot write: " + describe(e) + "; any previous file is unchanged", e);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void writeRecord(Path file, DataOutputStream out, String name, byte[] utf8, Tensor v) throws IOException {
        out.writeInt(utf8.length);
        out.write(utf8);
        boolean f32 = v.dtype() == DType.F32;
        out.writeByte(f32 ? F32_CODE : F64_CODE);
        out.writeByte(v.rank());
        for (int d = 0; d < v.rank(); d++) {
            out.writeInt(v.dim(d));
        }
        for (int k = 0; k < v.size(); k++) {
            double x = v.getFlat(k);
            if (!Double.isFinite(x)) {
                throw new ParameterFileException(file, "parameter '" + name + "' holds " + x + " at flat index " + k
                        + "; refusing to save a non-finite model (any previous file is unchanged)");
            }
            if (f32) {
                out.writeFloat((float) x);
            } else {
                out.writeDouble(x);
            }
        }
    }

    /**
     * An I/O failure in words, without the exception's class name: what the user sees is one line saying what went
     * wrong with which path.
     */
    static String describe(IOException e) {
        String path = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String what;
        if (e instanceof java.nio.file.AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            what = "a non-empty folder is in the way";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
            what = "something else already exists there";
        } else if (e instanceof NoSuchFileException) {
            what = "no such file or folder";
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            what = f.getReason();
        } else {
            what = e.getMessage() == null ? "I/O error" : e.getMessage().split("\n")[0];
        }
        return path == null ? what : what + " (" + path + ")";
    }

    /** Makes the rename durable where the platform allows opening a directory (POSIX); elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the rename is still atomic there, only its durability is weaker.
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // The original failure is the one to report; a stray temporary file is harmless.
        }
    }

    /**
     * Reads every parameter in the file, by name in file order.
     *
     * @throws ParameterFileException when the file is missing, not a parameter file, of another version,
     *                                truncated or corrupt
     */
    public static Map<String, Tensor> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ParameterFileException(file, "no such file", e);
        } catch (IOException e) {
            throw new ParameterFileException(file, "cannot read: " + describe(e), e);
        }
        checkEnvelope(file, bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES - CHECKSUM_BYTES).slice();
        int count = ByteBuffer.wrap(bytes).getInt(20);
        if (count < 0) {
            throw corrupt(file, "negative parameter count " + count);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readName(file, in, i);
            Tensor t = readTensor(file, in, name);
            if (out.put(name, t) != null) {
                throw corrupt(file, "parameter '" + name + "' appears twice");
            }
        }
        if (in.hasRemaining()) {
            throw corrupt(file, in.remaining() + " bytes after the last parameter");
        }
        return out;
    }

    /** Checks magic, version, declared length and checksum. */
    private static void checkEnvelope(Path file, byte[] bytes) {
        int n = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, n, MAGIC, 0, n)) {
            throw new ParameterFileException(file, "not a neuralode4j parameter file (bad magic)");
        }
        if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) {
            throw new ParameterFileException(file, "truncated: " + bytes.length + " bytes, shorter than the header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = b.getInt(8);
        if (version != VERSION) {
            throw new ParameterFileException(file, "unsupported format version " + version + " (this build reads version " + VERSION + ")");
        }
        long declared = b.getLong(12);
        if (bytes.length < declared) {
            throw new ParameterFileException(file, "truncated: " + bytes.length + " of " + declared + " bytes");
        }
        if (bytes.length > declared) {
            throw corrupt(file, bytes.length + " bytes where the header declares " + declared);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        int stored = b.getInt(bytes.length - CHECKSUM_BYTES);
        if ((int) crc.getValue() != stored) {
            throw new ParameterFileException(file, String.format("checksum mismatch (stored %08x, computed %08x): the file is corrupt",
                    stored, (int) crc.getValue()));
        }
    }

    private static String readName(Path file, ByteBuffer in, int index) {
        int len = readInt(file, in);
        if (len <= 0 || len > in.remaining()) {
            throw corrupt(file, "bad name length " + len + " for parameter " + index);
        }
        byte[] name = new byte[len];
        in.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    private static Tensor readTensor(Path file, ByteBuffer in, String name) {
        if (in.remaining() < 2) {
            throw corrupt(file, "parameter '" + name + "' is cut short");
        }
        int dtype = in.get() & 0xFF;
        if (dtype != F64_CODE && dtype != F32_CODE) {
            throw corrupt(file, "parameter '" + name + "' has unknown dtype code " + dtype);
        }
        int rank = in.get() & 0xFF;
        if (rank > Shape.MAX_RANK) {
            throw corrupt(file, "parameter '" + name + "' has rank " + rank);
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = readInt(file, in);
            if (dims[d] < 0) {
                throw corrupt(file, "parameter '" + name + "' has a negative dimension " + dims[d]);
            }
            size *= dims[d];
            if (size > Integer.MAX_VALUE) {
                throw corrupt(file, "parameter '" + name + "' has too many elements " + Arrays.toString(dims));
            }
        }
        int width = dtype == F32_CODE ? 4 : 8;
        if (size * width > in.remaining()) {
            throw corrupt(file, "parameter '" + name + "' " + Arrays.toString(dims) + " needs " + size * width + " bytes, "
                    + in.remaining() + " remain");
        }
        if (dtype == F32_CODE) {
            float[] f = new float[(int) size];
            in.asFloatBuffer().get(f);
            in.position(in.position() + f.length * 4);
            double[] v = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                v[k] = f[k];
            }
            return Tensor.of(DType.F32, v, dims);
        }
        double[] v = new double[(int) size];
        in.asDoubleBuffer().get(v);
        in.position(in.position() + v.length * 8);
        return Tensor.of(v, dims);
    }

    private static int readInt(Path file, ByteBuffer in) {
        if (in.remaining() < 4) {
            throw corrupt(file, "record cut short");
        }
        return in.getInt();
    }

    private static ParameterFileException corrupt(Path file, String problem) {
        return new ParameterFileException(file, "corrupt: " + problem);
    }

    /**
     * Sets {@code module}'s parameters from the file. Every parameter of the module must be in the file with the
     * same shape, and the file must hold no others; otherwise nothing is changed.
     *
     * @return a one-line note when values were converted to the module's dtype (e.g. "converted 6 f32 parameters of
     *         model.params to the model's f64"), else empty
     * @throws ParameterFileException naming the file and the parameter (and both shapes for a mismatch)
     */
    public static java.util.Optional<String> load(Path file, Parameterized module) {
        return load(file, module.parameters());
    }

    /**
     * The dtype of the file's parameters (f64 for a file with none, or with both dtypes), so that a model can be
     * rebuilt in the precision it was saved in.
     */
    public static DType dtype(Path file) {
        DType d = null;
        for (Tensor t : read(file).values()) {
            if (d == null) {
                d = t.dtype();
            } else if (d != t.dtype()) {
                return DType.F64;
            }
        }
        return d == null ? DType.F64 : d;
    }

    /** Sets {@code params} from the file; see {@link #load(Path, Parameterized)}. */
    public static java.util.Optional<String> load(Path file, List<Parameter> params) {
        Map<String, Tensor> stored = read(file);
        Set<String> wanted = new HashSet<>();
        for (Parameter p : params) {
            wanted.add(p.name());
            Tensor t = stored.get(p.name());
            if (t == null) {
                throw new ParameterFileException(file, "has no parameter '" + p.name() + "' (it holds " + stored.keySet() + ")");
            }
            if (!t.shape().equals(p.shape())) {
                throw new ParameterFileException(file, "parameter '" + p.name() + "' has shape " + t.shape()
                        + " in the file but " + p.shape() + " in the module");
            }
        }
        for (String name : stored.keySet()) {
            if (!wanted.contains(name)) {
                throw new ParameterFileException(file, "holds parameter '" + name + "', which the module does not have");
            }
        }
        int converted = 0;
        DType from = null;
        DType to = null;
        for (Parameter p : params) {
            Tensor t = stored.get(p.name());
            if (t.dtype() != p.dtype()) {
                converted++;
                from = t.dtype();
                to = p.dtype();
            }
            p.set(t.to(p.dtype()));
        }
        if (converted == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("converted " + converted + " " + from.label() + " parameter" + (converted == 1 ? "" : "s")
                + " of " + file.getFileName() + " to the model's " + to.label());
    }
}
