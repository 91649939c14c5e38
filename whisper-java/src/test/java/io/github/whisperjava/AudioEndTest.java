package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No time users see lies after the audio's end. whisper.cpp does not bound its timestamps by the audio:
 * the random-weights fixture's noise on a 1 s clip ends at 20.62 s, and VAD's mapping back ends a 2 s
 * clip's segment at 2.02 s.
 */
class AudioEndTest {
    static final float[] JFK = WavReader.read16kMono(TestData.JFK_WAV);
    static final TranscribeParams PARAMS = TranscribeParams.builder().threads(2).temperatureIncrement(0)
            .tokenTimestamps(true).build();
    static Whisper whisper;

    @BeforeAll
    static void load() {
        whisper = Whisper.load(TestData.fixture("tiny", "f16"));
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    @Test
    void segmentTokenAndWordTimesEndWithTheAudio() {
        float[] oneSecond = Arrays.copyOf(JFK, 16_000);
        for (EncoderWindow window : EncoderWindow.values()) {
            List<Segment> seen = new ArrayList<>();
            Transcript t = whisper.transcribe(oneSecond, PARAMS.toBuilder().encoderWindow(window).build(), CallOptions.none().withListener(listener(seen)));
            assertNoTimeAfter(1_000, t);
            assertEquals(t.segments(), seen, "the listener must see the times the transcript holds");
            if (window == EncoderWindow.FIT_AUDIO) {
                // the fitted window's check still sees the raw end, and falls back to the full window
                assertTrue(t.windowFallback().contains("after the audio"), t.windowFallback());
            }
        }
    }

    @Test
    void withAnOffsetAndDurationTimesEndWhereTheTranscribedPartEnds() {
        assertNoTimeAfter(3_000, whisper.transcribe(JFK, PARAMS.toBuilder().offsetMs(2_000).durationMs(1_000).build()));
    }

    @Test
    void timesMappedBackFromSpeechOnlyAudioEndWithTheAudio() {
        VadOptions vad = VadOptions.DEFAULTS.withModel(TestData.SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin"));
        assertNoTimeAfter(2_000, whisper.transcribe(Arrays.copyOf(JFK, 32_000), PARAMS.toBuilder().vad(vad).build()));
    }

    private static void assertNoTimeAfter(long endMs, Transcript t) {
        assertFalse(t.segments().isEmpty(), "the fixture should decode some noise");
        for (Segment s : t.segments()) {
            assertTrue(s.startMs() <= endMs && s.endMs() <= endMs && s.startMs() <= s.endMs(), s.toString());
            for (Token k : s.tokens()) {
                assertTrue(k.startMs() <= endMs && k.endMs() <= endMs && k.dtwMs() <= endMs, k + " of " + s);
            }
            for (Word w : s.words()) {
                assertTrue(w.startMs() <= endMs && w.endMs() <= endMs, w + " of " + s);
            }
        }
    }

    private static TranscriptionListener listener(List<Segment> seen) {
        return new TranscriptionListener() {
            @Override
            public void onSegment(Segment segment) {
                seen.add(segment);
            }
        };
    }
}
