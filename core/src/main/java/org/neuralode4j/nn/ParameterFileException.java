package org.neuralode4j.nn;

import java.nio.file.Path;
import org.neuralode4j.NeuralOdeException;

/** A parameter file could not be written, read, or applied to a module; the message names the file. */
public class ParameterFileException extends NeuralOdeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ParameterFileException(Path file, String problem) {
        super("parameter file " + file + ": " + problem);
        this.file = file;
    }

    public ParameterFileException(Path file, String problem, Throwable cause) {
        super("parameter file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }
}
