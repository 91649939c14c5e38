package io.github.whisperjava;

import io.github.whisperjava.internal.Natives;

/**
 * Cancels one transcription from any thread: pass it to
 * {@link Whisper#transcribe(float[], TranscribeParams, TranscriptionListener, CancellationToken)}, call
 * {@link #cancel()} from elsewhere, and that call ends with a {@link java.util.concurrent.CancellationException}
 * at its next decoder step or encoder window. Cancelling before the call starts makes it end at once,
 * without waiting for a state. A token serves one call: passing it to a second one is an
 * {@link IllegalStateException}, and once cancelled it stays cancelled.
 */
public final class CancellationToken {
    private long state; // the whisper_state of the call in progress, 0 when none; guarded by this
    private boolean cancelled;
    private boolean used;

    public synchronized void cancel() {
        cancelled = true;
        if (state != 0) {
            Natives.abort(state);
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Marks the token as taken by a call; refuses a second call and a token that is already cancelled. */
    synchronized void claim() {
        if (used) {
            throw new IllegalStateException("this CancellationToken was already passed to a transcription; "
                    + "use a new token for each call");
        }
        used = true;
        if (cancelled) {
            throw new java.util.concurrent.CancellationException("transcription was cancelled before it started");
        }
    }

    synchronized void bind(long state) {
        this.state = state;
        if (cancelled) {
            Natives.abort(state);
        }
    }

    // before the state goes back to the pool, so a late cancel() cannot reach the next call's state
    synchronized void unbind() {
        this.state = 0;
    }
}
