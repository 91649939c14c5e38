package io.github.whisperjava;

/** Audio that cannot be read as speech input: a broken or unsupported WAV file, or no samples. */
public class AudioFormatException extends WhisperException {
    private static final long serialVersionUID = 1L;

    public AudioFormatException(String message) {
        super(message);
    }

    public AudioFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
