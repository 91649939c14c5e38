package io.github.whisperjava;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The immutable result of one transcription.
 *
 * @param segments the recognised segments in time order
 * @param language the language code whisper.cpp decoded in ({@code "en"}, ...), detected or given
 * @param audioDurationMs length of the audio that was transcribed
 * @param encoderPositions encoder positions per window of the run whose text this is (1,500 for
 *     whisper's full 30 s window; fewer with {@link EncoderWindow#FIT_AUDIO} or {@code audioContext})
 * @param windowFallback empty, or why a {@link EncoderWindow#FIT_AUDIO} run was not trusted and the
 *     audio was transcribed again with the full window
 * @param timings where whisper.cpp's time went (encoder, decoder, ...), for this call alone
 * @param languageProbability with {@code language("auto")}, the probability whisper gave the language
 *     it detected; NaN when the language was given
 */
public record Transcript(List<Segment> segments, String language, long audioDurationMs, int encoderPositions,
        String windowFallback, PhaseTimings timings, float languageProbability) {
    public Transcript {
        segments = List.copyOf(segments);
        windowFallback = windowFallback == null ? "" : windowFallback;
        timings = timings == null ? PhaseTimings.NONE : timings;
    }

    /** Whether a fitted window's result was replaced by a full-window one ({@link #windowFallback()} says why). */
    public boolean fellBackToFullWindow() {
        return !windowFallback.isEmpty();
    }

    /** Whether the language was detected ({@link #languageProbability()} says how sure whisper was). */
    public boolean languageDetected() {
        return !Float.isNaN(languageProbability);
    }

    /** Every segment's words in order (see {@link Segment#words()}). */
    public List<Word> words() {
        return segments.stream().flatMap(s -> s.words().stream()).toList();
    }

    /** All segment texts joined, trimmed: what a person would read. */
    public String text() {
        return segments.stream().map(Segment::text).collect(Collectors.joining()).trim();
    }

    /** This transcript with every segment and token time {@code ms} later (a live utterance in its stream). */
    Transcript movedBy(long ms) {
        List<Segment> moved = segments.stream().map(s -> new Segment(s.index(), s.startMs() + ms, s.endMs() + ms,
                s.text(), s.tokens().stream().map(t -> t.withTimes(t.startMs() + ms, t.endMs() + ms,
                        t.dtwMs() < 0 ? t.dtwMs() : t.dtwMs() + ms)).toList(),
                s.noSpeechProbability(), s.speakerTurnNext())).toList();
        return new Transcript(moved, language, audioDurationMs, encoderPositions, windowFallback, timings,
                languageProbability);
    }
}
