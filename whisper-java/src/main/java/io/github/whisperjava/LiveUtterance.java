package io.github.whisperjava;

/**
 * One utterance's final transcript: {@link Whisper#transcribe(float[], TranscribeParams)} of the stream's
 * 16 kHz samples {@code [startMs * 16, endMs * 16)} with the session's params, its segment and token times
 * moved to the stream's clock.
 */
public record LiveUtterance(int utterance, long startMs, long endMs, Transcript transcript) {
    public LiveUtterance {
        java.util.Objects.requireNonNull(transcript, "transcript");
    }

    public String text() {
        return transcript.text();
    }
}
