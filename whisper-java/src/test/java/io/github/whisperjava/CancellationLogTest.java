package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancellation the caller asked for is not logged as an error (whisper.cpp says "failed to encode"). */
class CancellationLogTest {
    @TempDir
    Path tmp;

    @Test
    void anExpectedCancellationLogsNoError() throws Exception {
        String out = TestJvm.run(tmp, "out", Map.of(), List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
                Main.class);
        assertTrue(out.contains("cancelled as asked"), out);
        assertFalse(out.contains("ERROR"), "an expected cancellation was logged as an error:\n" + out);
    }

    public static final class Main {
        public static void main(String[] args) {
            float[] pcm = WavReader.read16kMono(TestData.JFK_WAV);
            try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
                for (int i = 0; i < 3; i++) {
                    try {
                        w.transcribe(pcm, TranscribeParams.builder().threads(1).timeout(Duration.ofMillis(50)).build());
                        System.out.println("finished before its timeout");
                    } catch (CancellationException e) {
                        System.out.println("cancelled as asked: " + e.getMessage());
                    }
                }
            }
        }
    }
}
