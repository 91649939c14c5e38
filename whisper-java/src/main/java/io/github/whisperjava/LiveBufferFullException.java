package io.github.whisperjava;

/** Audio a {@link LiveTranscription} refused: taking it would hold more than its options' {@code maxBuffered}. */
public final class LiveBufferFullException extends WhisperException {
    private final long refusedMs;

    public LiveBufferFullException(long refusedMs, long bufferedMs, long maxBufferedMs) {
        super("live audio refused: " + refusedMs + " ms more would hold " + (bufferedMs + refusedMs)
                + " ms not yet transcribed, over the " + maxBufferedMs + " ms maxBuffered; the session is falling "
                + "behind (too many sessions for this model's states and CPU budget?) or audio arrives faster "
                + "than real time");
        this.refusedMs = refusedMs;
    }

    /** How much audio was refused. */
    public long refusedMs() {
        return refusedMs;
    }
}
