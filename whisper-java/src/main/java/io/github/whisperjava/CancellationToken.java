package io.github.whisperjava;

import io.github.whisperjava.internal.NativeModel;
import java.util.concurrent.CancellationException;

/**
 * Cancels one transcription from any thread: pass it to any {@code transcribe} call in its
 * {@link CallOptions#withCancellation CallOptions}, call
 * {@link #cancel()} from elsewhere, and that call ends with a {@link java.util.concurrent.CancellationException}
 * at its next decoder step or encoder window. Cancelling before the call starts makes it end at once,
 * without waiting for a state. A token serves one call: passing it to a second one is an
 * {@link IllegalStateException}, and once cancelled it stays cancelled.
 */
public final class CancellationToken {
    private NativeModel.Lease call; // the state of the call in progress, null when none; guarded by this
    private boolean cancelled;
    private boolean used;

    public synchronized void cancel() {
        cancelled = true;
        if (call != null) {
            call.abort();
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
            throw new CancellationException("transcription was cancelled before it started");
        }
    }

    synchronized void bind(NativeModel.Lease lease) {
        this.call = lease;
        if (cancelled) {
            lease.abort();
        }
    }

    // before the state goes back to the pool, so a late cancel() cannot reach the next call's state
    synchronized void unbind() {
        this.call = null;
    }
}
