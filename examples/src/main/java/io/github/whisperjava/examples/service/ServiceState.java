package io.github.whisperjava.examples.service;

/**
 * Where the service is in its life: the model loading (alive, not ready), serving, or draining at
 * shutdown (alive, not ready, new transcriptions refused).
 */
final class ServiceState {
    private volatile Transcriber transcriber;
    private volatile boolean draining;

    void loaded(Transcriber t) {
        transcriber = t;
    }

    void drain() {
        draining = true;
    }

    boolean ready() {
        return transcriber != null && !draining && !transcriber.whisper().isClosed();
    }

    /** The model, or null while it loads. */
    Transcriber transcriberOrNull() {
        return transcriber;
    }

    /** The model for a new request; 503 while it loads or once the service drains. */
    Transcriber transcriber() {
        Transcriber t = transcriber;
        if (t == null) {
            throw ApiException.unavailable("the model is still loading", 5);
        }
        if (draining) {
            throw ApiException.unavailable("the service is stopping", 5);
        }
        return t;
    }
}
