package io.github.whisperjava;

import io.github.whisperjava.internal.Natives;

/**
 * Cancels one transcription from any thread: pass it to
 * {@link Whisper#transcribe(float[], TranscribeParams, TranscriptionListener, CancellationToken)}, call
 * {@link #cancel()} from elsewhere, and that call ends with a {@link java.util.concurrent.CancellationException}
 * at its next decoder step or encoder window. Cancelling before the call starts makes it end at once.
 * A token is single-use: once cancelled it stays cancelled.
 */
public final class CancellationToken {
    private long state; // the whisper_state of the call in progress, 0 when none; guarded by this
    private boolean cancelled;

    public synchronized void cancel() {
        cancelled = true;
        if (state != 0) {
            Natives.abort(state);
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
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
