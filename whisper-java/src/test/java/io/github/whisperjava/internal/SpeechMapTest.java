package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.Segment;
import io.github.whisperjava.SpeechSpan;
import io.github.whisperjava.Token;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cut and the time map of whisper_full's VAD, worked out by hand for two spans. */
class SpeechMapTest {
    // speech at 1-2 s and 4-5 s of 6 s; 0.1 s overlap (whisper.cpp's default)
    static final float[] SPANS_CS = {100, 200, 400, 500};
    static final int N = 6 * 16_000;

    @Test
    void cutsEachSpanWithItsOverlapAndPutsATenthOfASecondOfSilenceBetween() {
        float[] in = new float[N];
        for (int i = 0; i < N; i++) {
            in[i] = i + 1; // every sample tells where it came from
        }
        SpeechMap m = SpeechMap.of(SPANS_CS, N, 0.1f);
        // span 1: 16000..33600 (1 s + 0.1 s overlap), silence 1600, span 2: 64000..80000 (the last: no overlap)
        assertEquals(17_600 + 1_600 + 16_000, m.length());
        float[] out = m.speech(in);
        assertArrayEquals(Arrays.copyOfRange(in, 16_000, 33_600), Arrays.copyOfRange(out, 0, 17_600));
        assertArrayEquals(new float[1_600], Arrays.copyOfRange(out, 17_600, 19_200));
        assertArrayEquals(Arrays.copyOfRange(in, 64_000, 80_000), Arrays.copyOfRange(out, 19_200, 35_200));
        assertArrayEquals(out, m.speech(FloatBuffer.wrap(in)), "the buffer path cuts the same");
        assertEquals(List.of(new SpeechSpan(1000, 2000), new SpeechSpan(4000, 5000)), m.spans());
    }

    @Test
    void mapsTimesBackByInterpolatingBetweenSpanAndGapBoundaries() {
        SpeechMap m = SpeechMap.of(SPANS_CS, N, 0.1f);
        // table: 0->100, 100->200, 110->200 (silence starts), 120->400 (next span), 220->500
        assertEquals(100, m.toOriginalCs(-5));
        assertEquals(100, m.toOriginalCs(0));
        assertEquals(150, m.toOriginalCs(50));
        assertEquals(200, m.toOriginalCs(105)); // the overlap: still the end of span 1
        assertEquals(300, m.toOriginalCs(115)); // inside the inserted silence: across the gap
        assertEquals(400, m.toOriginalCs(120));
        assertEquals(450, m.toOriginalCs(170));
        assertEquals(500, m.toOriginalCs(300)); // past the end: the end
        assertEquals(160, m.segmentEndCs(50, 52), "a segment lasts at least 10 cs, as whisper.cpp maps it");
        assertEquals(450, m.segmentEndCs(50, 170));
    }

    @Test
    void remapsSegmentAndTokenTimes() {
        SpeechMap m = SpeechMap.of(SPANS_CS, N, 0.1f);
        Segment s = new Segment(0, 500, 1700, " hi", List.of(new Token(1, " hi", 0.9f, 500, 1700),
                new Token(2, "[_TT_]", 0.5f, -1, -1)), 0.1f, false);
        Segment r = m.remap(s);
        assertEquals(1500, r.startMs());
        assertEquals(4500, r.endMs());
        assertEquals(new Token(1, " hi", 0.9f, 1500, 4500), r.tokens().get(0));
        assertEquals(-1, r.tokens().get(1).startMs(), "no token time stays none");
    }

    @Test
    void noSpeechIsEmptyAndSpansAtTheVeryEndAreClamped() {
        assertTrue(SpeechMap.of(new float[0], N, 0.1f).isEmpty());
        SpeechMap tail = SpeechMap.of(new float[] {590, 700}, N, 0.1f); // VAD padding past the end of the audio
        assertEquals(N - 1 - 94_400, tail.length());
        assertEquals(List.of(new SpeechSpan(5900, 7000)), tail.spans());
    }
}
