package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import org.junit.jupiter.api.Test;

/** Transcript.timings(): whisper.cpp's own phase times, read from the call's state (our patch), per call. */
class PhaseTimingsTest {
    @Test
    void eachCallReportsItsOwnPhasesWithinItsWallTime() {
        float[] jfk = WavReader.read16kMono(TestData.JFK_WAV);
        TranscribeParams params = TranscribeParams.builder().threads(2).build();
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(1))) {
            for (int call = 0; call < 3; call++) { // one state, reused: its counters grow, each call's must not
                long start = System.nanoTime();
                Transcript t = w.transcribe(jfk, params, CallOptions.none());
                double wallMs = (System.nanoTime() - start) / 1e6;
                PhaseTimings p = t.timings();
                assertTrue(p.encodeMs() > 0 && p.melMs() > 0, "call " + call + ": " + p);
                assertEquals(1, p.encoderRuns(), "call " + call + ": " + p);
                assertEquals(0, p.vadMs());
                assertTrue(p.totalMs() <= wallMs + 1, "call " + call + " reports " + p.totalMs() + " ms of phases in "
                        + wallMs + " ms: counted earlier calls too");
            }
        }
    }
}
