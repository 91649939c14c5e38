package io.github.whisperjava;

import java.nio.file.Path;

/** A model file that is missing, unreadable, truncated or not a whisper.cpp ggml model. */
public class ModelLoadException extends WhisperException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public ModelLoadException(Path path, String reason) {
        super("cannot load model " + path + ": " + reason);
        this.path = path;
    }

    public ModelLoadException(Path path, String reason, Throwable cause) {
        super("cannot load model " + path + ": " + reason, cause);
        this.path = path;
    }

    /** The file that failed to load. */
    public Path path() {
        return path;
    }
}
