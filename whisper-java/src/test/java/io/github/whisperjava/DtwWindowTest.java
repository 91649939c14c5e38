package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * whisper.cpp's DTW token times assert that a window's mel frames fit twice its encoder positions, and
 * the assert aborts the process: an explicit encoder window too small for the audio, on a model loaded
 * with DTW, killed the JVM (11 s of audio, {@code audioContext(256)}: exit 134). It is refused in Java.
 */
class DtwWindowTest {
    @Test
    void anEncoderWindowTooSmallForDtwIsRefusedNotAborted() {
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV); // 11 s: 550 positions
        TranscribeParams params = CliParityTest.PARAMS.toBuilder().tokenTimestamps(true).build();
        try (Whisper w = Whisper.load(CliParityTest.MODEL, ModelOptions.defaults().withDtwTokenTimestamps(true))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.transcribe(jfk, params.toBuilder().audioContext(256).build()));
            assertTrue(e.getMessage().contains("at least 550"), e.getMessage());
            Transcript t = w.transcribe(jfk, params.toBuilder().audioContext(550).build());
            assertTrue(t.segments().stream().flatMap(s -> s.tokens().stream()).filter(x -> !x.special())
                    .allMatch(x -> x.dtwMs() >= 0), "DTW ran on the window that holds the audio: " + t.segments());
        }
        // without DTW the small window is whisper.cpp's business, as before
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            w.transcribe(jfk, params.toBuilder().audioContext(256).build());
        }
    }

    /**
     * With DTW on, whisper.cpp announces new segments with each one's index instead of their count, and
     * only in its first window: the listener used to get none. It gets every segment the call returns,
     * in order, with the DTW times.
     */
    @Test
    void theListenerGetsEverySegmentWithDtwOn() {
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);
        TranscribeParams params = CliParityTest.PARAMS.toBuilder().tokenTimestamps(true).build();
        try (Whisper w = Whisper.load(CliParityTest.MODEL, ModelOptions.defaults().withDtwTokenTimestamps(true))) {
            List<Segment> streamed = new ArrayList<>();
            Transcript t = w.transcribe(jfk, params, CallOptions.none().withListener(new TranscriptionListener() {
                @Override
                public void onSegment(Segment segment) {
                    streamed.add(segment);
                }
            }));
            assertFalse(t.segments().isEmpty(), "the fixture decodes segments from jfk.wav");
            assertEquals(t.segments(), streamed);
        }
    }
}
