package io.github.whisperjava;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The immutable result of one transcription.
 *
 * @param segments the recognised segments in time order
 * @param language the language code whisper.cpp decoded in ({@code "en"}, ...), detected or given
 * @param audioDurationMs length of the audio that was transcribed
 */
public record Transcript(List<Segment> segments, String language, long audioDurationMs) {
    public Transcript {
        segments = List.copyOf(segments);
    }

    /** All segment texts joined, trimmed: what a person would read. */
    public String text() {
        return segments.stream().map(Segment::text).collect(Collectors.joining()).trim();
    }
}
