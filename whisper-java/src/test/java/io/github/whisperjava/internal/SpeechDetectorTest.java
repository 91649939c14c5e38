package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.VadOptions;
import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checked copy of a Silero model that whisper.cpp loads each new VAD context from. */
class SpeechDetectorTest {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    static final Path SILERO = SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");

    /**
     * The copy used to be a temp file made once: after a tmp cleaner deleted it, every new context (one per
     * concurrent call beyond those pooled) failed to load. It is kept in the cache and made again.
     */
    @Test
    void aCheckedCopyDeletedBetweenTwoContextsIsMadeAgain(@TempDir Path cache) throws IOException {
        try (SpeechDetector d = new SpeechDetector(SILERO, cache)) {
            Path copy = d.checkedCopy();
            assertTrue(copy.startsWith(cache), copy + " is not in the cache folder " + cache);
            Files.delete(copy); // what a cleaner does
            WhisperJni.vadFree(d.newContext());
            assertArrayEquals(Files.readAllBytes(SILERO), Files.readAllBytes(copy));
            float[] jfk = WavReader.read16kMono(SHARED.resolve("audio/jfk.wav"));
            assertEquals(4, d.detect(jfk, jfk.length, VadOptions.DEFAULTS).spans().size(),
                    "whisper.cpp's own test finds 4 speech segments in jfk.wav");
        }
    }
}
