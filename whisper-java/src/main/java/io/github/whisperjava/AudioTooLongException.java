package io.github.whisperjava;

import java.time.Duration;

/** Audio longer than the caller's maximum, refused before memory is allocated for it. */
public class AudioTooLongException extends AudioFormatException {
    private static final long serialVersionUID = 1L;

    private final Duration duration;
    private final Duration maximum;

    public AudioTooLongException(String source, Duration duration, Duration maximum) {
        super(source + " holds at least " + seconds(duration) + " of audio, more than the maximum of " + seconds(maximum)
                + " (raise it with TranscribeParams.maxAudioDuration)");
        this.duration = duration;
        this.maximum = maximum;
    }

    /** How much audio the input holds (at least this much, when it was cut off while reading). */
    public Duration duration() {
        return duration;
    }

    public Duration maximum() {
        return maximum;
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
