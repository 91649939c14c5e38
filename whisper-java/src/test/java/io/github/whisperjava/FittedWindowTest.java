package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.FittedWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EncoderWindow.FIT_AUDIO: the window's size, the check of its output, and the fall-back to the full window. */
class FittedWindowTest {
    static final float[] JFK = WavReader.read16kMono(TestData.JFK_WAV);
    static final float[] TWO_SECONDS = Arrays.copyOf(JFK, 2 * 16_000);
    static final TranscribeParams FIT = TranscribeParams.builder().threads(2).temperatureIncrement(0)
            .encoderWindow(EncoderWindow.FIT_AUDIO).build();
    static final TranscribeParams FULL = FIT.toBuilder().encoderWindow(EncoderWindow.FULL).build();

    @Test
    void windowArithmetic() {
        // 50 positions per second, plus 128, at least 256, and the full window (0) once that is reached
        assertEquals(256, FittedWindow.positions(0, 1500));
        assertEquals(256, FittedWindow.positions(1, 1500));
        assertEquals(256, FittedWindow.positions(2 * 16_000, 1500)); // 100 + 128 = 228: the floor
        assertEquals(258, FittedWindow.positions(2_581 * 16, 1500)); // 2.581 s: 129.05 positions round up to 130
        assertEquals(628, FittedWindow.positions(10 * 16_000, 1500));
        assertEquals(1499, FittedWindow.positions(27_420 * 16, 1500)); // 1371 + 128
        assertEquals(0, FittedWindow.positions(27_440 * 16, 1500)); // 1372 + 128 = 1500: the full window
        assertEquals(0, FittedWindow.positions(30 * 16_000, 1500));
        assertEquals(0, FittedWindow.positions(3_600L * 16_000, 1500));
        assertEquals(0, FittedWindow.positions(5 * 16_000, 300)); // a model with a smaller window
    }

    @Test
    void whatCountsAsDegenerate() {
        Segment fine = segment(0, 0, 1_800, " And so my fellow Americans.", 8);
        assertEquals(Optional.empty(), FittedWindow.degenerate(List.of(fine), 0, 2_000, 448));

        Segment pastTheEnd = segment(0, 0, 3_100, " Ask not.", 3);
        assertTrue(FittedWindow.degenerate(List.of(pastTheEnd), 0, 2_000, 448).orElseThrow().contains("after the audio"));
        assertEquals(Optional.empty(), FittedWindow.degenerate(List.of(pastTheEnd), 0, 2_200, 448),
                "up to a second past the end is rounding, not a hallucination");

        // with an offset, segment times count from the start of the file, not of the transcribed part
        Segment afterOffset = segment(0, 8_000, 9_800, " And so my fellow Americans.", 8);
        assertEquals(Optional.empty(), FittedWindow.degenerate(List.of(afterOffset), 8_000, 2_000, 448));
        assertTrue(FittedWindow.degenerate(List.of(segment(0, 8_000, 11_100, " Ask not.", 3)), 8_000, 2_000, 448)
                .orElseThrow().contains("after the audio"));

        Segment loop = segment(0, 0, 1_900, " the same thing".repeat(40), 80);
        assertTrue(FittedWindow.degenerate(List.of(loop), 0, 2_000, 448).orElseThrow().contains("repeats itself"));

        Segment long1 = segment(0, 0, 900, " a", 110);
        Segment long2 = segment(1, 900, 1_900, " b", 110);
        assertTrue(FittedWindow.degenerate(List.of(long1, long2), 0, 2_000, 448).orElseThrow().contains("limit of 220"));
    }

    @Test
    void aResultThatLooksFineKeepsTheFittedWindow() {
        // the for-tests model runs the whole encoder and decoder with no weights: empty, and nothing wrong
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
            List<Segment> seen = new ArrayList<>();
            Transcript fit = w.transcribe(TWO_SECONDS, FIT, CallOptions.none().withListener(listener(seen)));
            assertEquals(256, fit.encoderPositions());
            assertFalse(fit.fellBackToFullWindow(), fit.windowFallback());
            assertEquals(fit.segments(), seen);
            assertEquals(1500, w.transcribe(TWO_SECONDS, FULL).encoderPositions());
            // 30 s or more: full windows, nothing to fit
            assertEquals(1500, w.transcribe(TestData.repeat(JFK, 3), FIT).encoderPositions());
            // an explicit audioContext wins over the window policy
            assertEquals(300, w.transcribe(TWO_SECONDS, FIT.toBuilder().audioContext(300).build()).encoderPositions());
        }
    }

    /**
     * The random-weights fixture decodes noise whose timestamps run past the end of a short clip: a
     * degenerate result. The fall-back must fire, say why, and give exactly the full window's result,
     * and the listener must see only the segments returned.
     */
    @Test
    void aDegenerateResultIsTranscribedAgainWithTheFullWindowAndSaysSo() {
        try (Whisper w = Whisper.load(TestData.fixture("tiny", "q5_1"))) {
            Transcript full = w.transcribe(TWO_SECONDS, FULL);
            List<Segment> seen = new ArrayList<>();
            Transcript fit = w.transcribe(TWO_SECONDS, FIT, CallOptions.none().withListener(listener(seen)));
            assertTrue(fit.fellBackToFullWindow(), "the fixture's noise should have been caught: " + fit);
            assertTrue(fit.windowFallback().contains("after the audio"), fit.windowFallback());
            assertEquals(1500, fit.encoderPositions());
            // a count, not a clock: the fitted run is a fraction of the full one, well inside a loaded machine's noise
            assertEquals(1, full.timings().encoderRuns(), full.timings().toString());
            assertEquals(2, fit.timings().encoderRuns(), "the discarded fitted run is not counted: " + fit.timings());
            assertEquals(signature(full), signature(fit));
            assertEquals(signature(fit), seen.stream().map(FittedWindowTest::signature).toList().toString(),
                    "the listener saw segments of the discarded fitted run");
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

    private static String signature(Transcript t) {
        return t.segments().stream().map(FittedWindowTest::signature).toList().toString();
    }

    private static String signature(Segment s) {
        return s.startMs() + "-" + s.endMs() + ":" + s.text() + ":" + s.tokens().stream().map(Token::id).toList();
    }

    private static Segment segment(int index, long start, long end, String text, int tokens) {
        List<Token> ts = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            ts.add(new Token(1000 + i, "x", 0.5f, start, end));
        }
        return new Segment(index, start, end, text, ts, 0.01f, false);
    }
}
