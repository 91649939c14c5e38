package io.github.whisperjava.models;

import io.github.whisperjava.WhisperException;

/** A model that could not be fetched: offline, not found, unreachable, out of disk, timed out. */
public class ModelDownloadException extends WhisperException {
    private static final long serialVersionUID = 1L;

    public ModelDownloadException(String message) {
        super(message);
    }

    public ModelDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
