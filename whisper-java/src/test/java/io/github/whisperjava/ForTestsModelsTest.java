package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every for-tests model (real header, no weights) loads as its true size and runs the whole pipeline. */
class ForTestsModelsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tiny, tiny, true", "tiny.en, tiny, false",
        "base, base, true", "base.en, base, false",
        "small, small, true", "small.en, small, false",
        "medium, medium, true", "medium.en, medium, false",
        "large, large, true"})
    void loadsAsItsTrueSizeAndTranscribes(String file, String type, boolean multilingual) {
        long t0 = System.nanoTime();
        try (Whisper w = Whisper.load(TestData.forTestsModel(file), ModelOptions.defaults().withConcurrency(1))) {
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("for-tests-ggml-%s.bin: loaded in %d ms (%s)%n", file, loadMs, w.info());
            assertEquals(type, w.info().type());
            assertEquals(multilingual, w.info().multilingual());

            Transcript t = w.transcribe(TestData.JFK_WAV,
                    TranscribeParams.builder().threads(2).maxTokensPerSegment(8).build());
            assertWellFormed(t);
            assertEquals("en", t.language());
            assertEquals(11_000, t.audioDurationMs(), 20);
        }
    }

    @Test
    void listenerSeesProgressAndSegmentsInOrder() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            List<Integer> progress = new ArrayList<>();
            List<Segment> streamed = new ArrayList<>();
            Transcript t = w.transcribe(WavReader.read16kMono(TestData.JFK_WAV),
                    TranscribeParams.builder().threads(2).build(), CallOptions.none().withListener(new TranscriptionListener() {
                        @Override
                        public void onProgress(int percent) {
                            progress.add(percent);
                        }

                        @Override
                        public void onSegment(Segment segment) {
                            streamed.add(segment);
                        }
                    }));
            assertFalse(progress.isEmpty(), "no progress reported");
            for (int i = 1; i < progress.size(); i++) {
                assertTrue(progress.get(i) >= progress.get(i - 1), "progress went backwards: " + progress);
            }
            assertEquals(t.segments(), streamed, "streamed segments differ from the final transcript");
        }
    }

    @Test
    void autoDetectsLanguageOnMultilingualModel() {
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            Transcript t = w.transcribe(TestData.JFK_WAV, TranscribeParams.builder().language("auto")
                    .maxTokensPerSegment(4).build());
            assertNotNull(t.language());
            assertFalse(t.language().isEmpty(), "no language detected");
        }
    }

    @Test
    void reportsSystemInfoAndVersion() {
        assertEquals("1.9.1", Whisper.whisperCppVersion());
        assertTrue(Whisper.systemInfo().contains("CPU"), Whisper.systemInfo());
    }

    @Test
    void manyModelsLoadAndCloseInOneJvm() {
        AtomicInteger n = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            try (Whisper w = Whisper.load(TestData.forTestsModel(i % 2 == 0 ? "tiny" : "base"))) {
                n.addAndGet(w.info().audioLayers());
            }
        }
        assertEquals(10 * 4 + 10 * 6, n.get());
    }

    static void assertWellFormed(Transcript t) {
        assertNotNull(t.segments());
        long prevEnd = 0;
        for (int i = 0; i < t.segments().size(); i++) {
            Segment s = t.segments().get(i);
            assertEquals(i, s.index());
            assertTrue(s.startMs() >= 0 && s.startMs() <= s.endMs(), "bad times " + s);
            assertTrue(s.startMs() >= prevEnd - 10, "segments overlap: " + t.segments());
            assertTrue(s.endMs() <= t.audioDurationMs() + 30_000, "segment past the audio: " + s);
            for (Token tok : s.tokens()) {
                assertTrue(tok.probability() >= 0 && tok.probability() <= 1.0001f, "bad probability " + tok);
            }
            prevEnd = s.endMs();
        }
    }
}
