package io.github.whisperjava;

/**
 * The parent of every whisper-java exception (bad models, bad audio, downloads, a busy pool), so one
 * catch covers the library. Thrown as itself for a failure inside whisper.cpp or the native layer, a
 * C++ exception included: reported as a Java exception, never a crash.
 */
public class WhisperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WhisperException(String message) {
        super(message);
    }

    public WhisperException(String message, Throwable cause) {
        super(message, cause);
    }
}
