package io.github.whisperjava.models;

/** A downloaded file that failed verification; it has been deleted, never loaded. */
public class ModelIntegrityException extends ModelDownloadException {
    private static final long serialVersionUID = 1L;

    public ModelIntegrityException(String message) {
        super(message);
    }
}
