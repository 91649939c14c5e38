package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.internal.SpeechEndpointer.Change;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpointer's rules on probabilities written by hand (one per 32 ms window). */
class SpeechEndpointerTest {
    static final int MS = 16;

    static List<String> run(SpeechEndpointer e, float... probs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            for (Change c = e.feed(probs[i]); c != Change.NONE; c = e.next()) {
                out.add(i + (c == Change.STARTED ? ":started@" + e.speechStart() : ":stopped@" + e.speechEnd()));
            }
        }
        return out;
    }

    static float[] windows(float p, int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, p);
        return a;
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void speechIsReportedOnceLongerThanTheMinimumAndEndsAfterTheSilence() {
        // 250 ms minimum speech: 8 windows are 256 ms > 250; 200 ms of silence: 7 windows after its first (7 * 32 >= 200)
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 250 * MS, 100 * MS);
        List<String> got = run(e, concat(windows(0.1f, 3), windows(0.9f, 10), windows(0.1f, 10)));
        assertEquals(List.of("10:started@3", "20:stopped@13"), got);
    }

    @Test
    void speechShorterThanTheMinimumIsNeverReported() {
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 250 * MS, 100 * MS);
        assertEquals(List.of(), run(e, concat(windows(0.9f, 7), windows(0.1f, 20))));
        assertFalse(e.inSpeech());
        assertEquals(-1, e.speechStart());
    }

    @Test
    void aGapShorterThanWhisperCppsMergeGapDoesNotEndSpeech() {
        // 100 ms minimum silence, but whisper.cpp merges spans less than 200 ms apart: a 160 ms gap is no end
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 0, 100 * MS);
        List<String> got = run(e, concat(windows(0.9f, 5), windows(0.1f, 5), windows(0.9f, 5), windows(0.1f, 8)));
        assertEquals(List.of("0:started@0", "22:stopped@15"), got);
    }

    @Test
    void aShortRunInsideTheMergeGapIsDroppedAndTheUtteranceEndsWhereItsSpeechDid() {
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 250 * MS, 100 * MS);
        // kept speech ends at 10; a 2-window blip at 15 is under the 250 ms minimum: whisper.cpp drops it
        List<String> got = run(e, concat(windows(0.9f, 10), windows(0.1f, 5), windows(0.9f, 2), windows(0.1f, 10)));
        assertEquals(List.of("7:started@0", "21:stopped@10"), got, "reported as the blip is dropped");
    }

    @Test
    void oneWindowCanEndAnUtteranceAndStartTheNext() {
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 0, 100 * MS);
        // speech ends at 2; at window 9 the 200 ms merge gap has passed (7 * 32 >= 200) as new speech arrives
        List<String> got = run(e, concat(windows(0.9f, 2), windows(0.1f, 7), windows(0.9f, 1)));
        assertEquals(List.of("0:started@0", "9:stopped@2", "9:started@9"), got);
    }

    @Test
    void probabilitiesBetweenTheTwoThresholdsNeitherStartNorEndSilence() {
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 0, 300 * MS);
        // 0.4 is below the threshold but above threshold - 0.15: it keeps speech going
        List<String> got = run(e, concat(windows(0.9f, 2), windows(0.4f, 20), windows(0.2f, 12)));
        assertEquals(List.of("0:started@0", "32:stopped@22"), got);
        assertTrue(run(new SpeechEndpointer(0.5f, 0, 300 * MS), windows(0.45f, 20)).isEmpty());
    }

    @Test
    void theBestPauseIsTheLeastSpeechLikeWindowAndSpeechGoesOnFromIt() {
        SpeechEndpointer e = new SpeechEndpointer(0.5f, 0, 100 * MS);
        run(e, 0.9f, 0.9f, 0.6f, 0.45f, 0.8f, 0.9f, 0.9f);
        assertEquals(3, e.bestPause(1));
        assertTrue(e.inSpeech());
        assertEquals(3, e.speechStart());
        assertEquals(4, e.bestPause(4), "searched from window 4 on: 0.8 there is the least speech-like");
    }
}
