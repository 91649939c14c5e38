package io.github.whisperjava.server;

import java.time.Duration;

/**
 * Where the service is in its life: the model loading (alive, not ready), serving, or draining at
 * shutdown (alive, not ready, new transcriptions refused while the ones in flight finish). It also
 * counts the transcription requests in flight, so that a stop can wait for them.
 */
final class ServiceState {
    private volatile Transcriber transcriber;
    private volatile boolean draining;
    private int inFlight; // guarded by this

    void loaded(Transcriber t) {
        transcriber = t;
    }

    /** New requests are refused from now on, and so are those waiting for a whisper state. */
    void drain() {
        draining = true;
        Transcriber t = transcriber;
        if (t != null) {
            t.refuseQueued();
        }
    }

    boolean draining() {
        return draining;
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
        if (draining) {
            throw ApiException.unavailable("the service is stopping", 5);
        }
        if (t == null) {
            throw ApiException.unavailable("the model is still loading", 5);
        }
        return t;
    }

    /** A transcription request has come in; {@link #leave()} when it has been answered. */
    synchronized void enter() {
        inFlight++;
    }

    synchronized void leave() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Waits until no transcription request is in flight, at most {@code limit}; whether none is. */
    synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); inFlight > 0 && left > 0; left = end - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return inFlight == 0;
    }
}
