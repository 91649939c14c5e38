package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import io.github.whisperjava.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the times users see inside the audio. whisper.cpp takes a segment's end from the decoder's
 * timestamp tokens and does not bound it by the audio: on noise, or with random weights, a segment of a
 * 1 s clip can end at 20 s. Starts are bounded as ends are, so that an interval stays one; words need
 * nothing of their own, as they take their times from their tokens' starts and the segment's end.
 *
 * <p>Only for what users see: {@link FittedWindow#degenerate} must get the raw times, since a time
 * past the audio's end is how it tells that a fitted window ran off.
 */
public final class AudioEndClamp {
    private AudioEndClamp() {}

    /** {@code s} with every time after {@code endMs} moved back to {@code endMs}; -1 (no time) stays. */
    public static Segment clamp(Segment s, long endMs) {
        List<Token> tokens = new ArrayList<>(s.tokens().size());
        for (Token t : s.tokens()) {
            tokens.add(t.withTimes(bound(t.startMs(), endMs), bound(t.endMs(), endMs), bound(t.dtwMs(), endMs)));
        }
        return new Segment(s.index(), bound(s.startMs(), endMs), bound(s.endMs(), endMs), s.text(), tokens,
                s.noSpeechProbability(), s.speakerTurnNext());
    }

    private static long bound(long ms, long endMs) {
        return ms < 0 ? ms : Math.min(ms, endMs);
    }
}
