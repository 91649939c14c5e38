package io.github.whisperjava.models;

/**
 * A model file that failed verification, never loaded: a download (deleted), or a file in the cache that
 * could not be replaced because WHISPER_OFFLINE forbids downloading (left as it is).
 */
public class ModelIntegrityException extends ModelDownloadException {
    private static final long serialVersionUID = 1L;

    public ModelIntegrityException(String message) {
        super(message);
    }
}
