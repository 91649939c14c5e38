package io.github.whisperjava;

/** A failure inside whisper.cpp or the native layer, reported as a Java exception, never a crash. */
public class WhisperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WhisperException(String message) {
        super(message);
    }

    public WhisperException(String message, Throwable cause) {
        super(message, cause);
    }
}
