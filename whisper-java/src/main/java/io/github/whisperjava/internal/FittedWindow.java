package io.github.whisperjava.internal;

import io.github.whisperjava.Segment;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of {@link io.github.whisperjava.EncoderWindow#FIT_AUDIO} and the check of what it
 * produced.
 *
 * <p>Whisper's encoder has 50 positions per second of audio (1,500 for its 30 s window). The margin
 * of 128 positions (2.56 s) is where whisper.cpp issue 1855 started: about 3x faster on short clips
 * with base.en and unchanged text. The floor of 256 (5.12 s) is ours: below about 5 s of context
 * FUTO reported the decoder repeating itself until the token limit with stock weights, and the encoder
 * time saved below 256 positions is small (the cost is roughly linear in positions, 17% of a full
 * window at 256).
 */
public final class FittedWindow {
    static final int POSITIONS_PER_SECOND = 50;
    static final int MARGIN = 128;
    static final int FLOOR = 256;
    /** whisper's compression_ratio_threshold: text that gzips better than this is repeating itself. */
    static final double MAX_COMPRESSION_RATIO = 2.4;
    /** A segment may end this much after the audio (whisper rounds to 20 ms steps and pads). */
    static final long END_SLACK_MS = 1_000;

    private FittedWindow() {}

    /** The audio_ctx for {@code samples} of 16 kHz audio; 0 (the model's full window) when fitting saves nothing. */
    public static int positions(long samples, int modelPositions) {
        long needed = (samples * POSITIONS_PER_SECOND + 15_999) / 16_000 + MARGIN;
        long fitted = Math.max(FLOOR, needed);
        return fitted >= modelPositions ? 0 : (int) fitted;
    }

    /**
     * Why a fitted-window result should not be trusted, or empty: a window that hit whisper's token
     * limit (half the text context, less 4, per window), text that repeats itself, or a
     * timestamp after the end of the audio.
     *
     * @param startMs where the transcribed audio starts (the call's offset): segment times count from 0
     * @param audioMs how much audio was transcribed from there
     */
    public static Optional<String> degenerate(List<Segment> segments, long startMs, long audioMs, int textContext) {
        int tokens = 0;
        StringBuilder text = new StringBuilder();
        long endMs = startMs + audioMs;
        for (Segment s : segments) {
            tokens += s.tokens().size();
            text.append(s.text());
            if (s.endMs() > endMs + END_SLACK_MS) {
                return Optional.of("segment " + s.index() + " ends at " + s.endMs() + " ms, after the audio's end at "
                        + endMs + " ms");
            }
        }
        int limit = textContext / 2 - 4; // whisper.cpp's decode loop stops there, mid-sentence
        if (tokens >= limit) {
            return Optional.of(tokens + " tokens for one window reached whisper's limit of " + limit);
        }
        double ratio = CompressionRatio.of(text.toString());
        if (ratio > MAX_COMPRESSION_RATIO) {
            return Optional.of(String.format("the text repeats itself (compression ratio %.2f > %.1f)", ratio,
                    MAX_COMPRESSION_RATIO));
        }
        return Optional.empty();
    }
}
