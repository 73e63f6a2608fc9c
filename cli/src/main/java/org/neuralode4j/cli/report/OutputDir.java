package org.neuralode4j.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.neuralode4j.NeuralOdeException;

/**
 * A run's output folder. Every file is written to a temporary file beside it and renamed into place, so a reader
 * (or a run stopped by Ctrl-C) never sees half a file: what is there is the last complete version.
 */
public final class OutputDir {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public OutputDir(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot create the output folder " + dir + ": " + describe(e)
                    + " (choose another --out)");
        }
        if (!Files.isWritable(this.dir)) {
            throw new NeuralOdeException("the output folder " + dir + " is not writable (choose another --out)");
        }
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code value} as indented JSON, atomically. */
    public void writeJson(String name, Object value) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + path(name) + ": " + e.getMessage().split("\n")[0]);
        }
        write(name, bytes);
    }

    /** Writes bytes atomically. */
    public void write(String name, byte[] bytes) {
        Path target = path(name);
        Path tmp = null;
        try {
            // Not createTempFile: its owner-only permissions would carry over to the report.
            tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The rename already happened or the file never existed.
                }
            }
        }
    }

    /**
     * An I/O failure in words, without the exception's class name: what the user sees is one line saying what went
     * wrong with which path.
     */
    public static String describe(IOException e) {
        String path = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String what;
        if (e instanceof java.nio.file.AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            what = "a non-empty folder is in the way";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
            what = "something else already exists there";
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            what = "no such file or folder";
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            what = f.getReason();
        } else {
            what = e.getMessage() == null ? "I/O error" : e.getMessage().split("\n")[0];
        }
        return path == null ? what : what + " (" + path + ")";
    }

    /** Reads a JSON file of this folder. */
    public static <T> T readJson(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new NeuralOdeException("cannot read " + file + ": " + e.getMessage().split("\n")[0]);
        }
    }
}
