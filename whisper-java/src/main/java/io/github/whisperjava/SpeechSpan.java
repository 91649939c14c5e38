package io.github.whisperjava;

/** A stretch of speech that voice activity detection found, in milliseconds from the start of the audio. */
public record SpeechSpan(long startMs, long endMs) {
    public SpeechSpan {
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("bad span " + startMs + ".." + endMs + " ms");
        }
    }
}
