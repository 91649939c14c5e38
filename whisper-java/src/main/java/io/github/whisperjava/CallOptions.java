package io.github.whisperjava;

import java.time.Instant;

/**
 * What one call carries beside its {@link TranscribeParams}: who watches it (a listener), who may stop it
 * (a {@link CancellationToken}) and when it must be done by (a deadline). Every {@code transcribe}
 * overload, whatever its input, takes the same {@code CallOptions}, so a file, a byte array or a stream
 * can be cancelled and observed like samples.
 *
 * <p>Params say <em>what</em> to compute and are shared by many calls; call options belong to one call.
 * A token serves one call only, so options holding a token serve one call too. Immutable: each
 * {@code with} method returns a copy.
 *
 * <pre>{@code
 * CancellationToken token = new CancellationToken();
 * Transcript t = whisper.transcribe(Path.of("a.wav"), params,
 *         CallOptions.none().withCancellation(token).withDeadline(Instant.now().plusSeconds(30)));
 * }</pre>
 */
public final class CallOptions {
    private static final CallOptions NONE = new CallOptions(null, null, null);

    private final TranscriptionListener listener;
    private final CancellationToken cancellation;
    private final Instant deadline;

    private CallOptions(TranscriptionListener listener, CancellationToken cancellation, Instant deadline) {
        this.listener = listener;
        this.cancellation = cancellation;
        this.deadline = deadline;
    }

    /** No listener, no token, no deadline (the params' {@link TranscribeParams#timeout()} still applies). */
    public static CallOptions none() {
        return NONE;
    }

    /** Progress and segments as they are decoded, on the calling thread. */
    public CallOptions withListener(TranscriptionListener listener) {
        return new CallOptions(listener, cancellation, deadline);
    }

    /** A token whose {@link CancellationToken#cancel()}, from any thread, ends the call. */
    public CallOptions withCancellation(CancellationToken cancellation) {
        return new CallOptions(listener, cancellation, deadline);
    }

    /**
     * The instant past which the call ends with a {@link java.util.concurrent.CancellationException}, as
     * {@link TranscribeParams#timeout()} does; where both are set, whichever comes first. A deadline
     * already past when the call starts ends it before any audio is decoded. Like the timeout, it stops
     * decoding, not the wait for a free state, which {@link TranscribeParams#queueTimeout()} bounds.
     */
    public CallOptions withDeadline(Instant deadline) {
        return new CallOptions(listener, cancellation, deadline);
    }

    /** The listener, or null. */
    public TranscriptionListener listener() {
        return listener;
    }

    /** The token, or null. */
    public CancellationToken cancellation() {
        return cancellation;
    }

    /** The deadline, or null. */
    public Instant deadline() {
        return deadline;
    }

    @Override
    public String toString() {
        return "CallOptions[listener=" + (listener != null) + ", cancellation=" + (cancellation != null)
                + ", deadline=" + deadline + "]";
    }
}
