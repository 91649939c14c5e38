package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first model of a JVM loaded from a shutdown hook (a framework closing down, a batch job's last
 * step). ShutdownGuard could not add its own hook then, so its class failed to initialise: that load
 * threw ExceptionInInitializerError after whisper.cpp had made the context, and every later load in the
 * JVM threw NoClassDefFoundError. Now such loads work, twice in a row, and transcribe.
 * (This was also the one way found to make a load fail after initContext; NativeModel.open still frees
 * the context if anything after it throws, but no input is known that gets there any more.)
 */
class ShutdownHookLoadTest {
    @TempDir
    Path tmp;

    @Test
    void aModelLoadsAndTranscribesInsideAShutdownHook() throws Exception {
        String out = TestJvm.run(tmp, "load-in-hook", Map.of(), List.of("-Xmx256m"), Probe.class);
        assertEquals(2, out.lines().filter(l -> l.startsWith("transcribed in the hook: ")).count(), out);
        assertTrue(!out.contains("Error"), out);
    }

    public static final class Probe {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
                        Transcript t = w.transcribe(Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 16_000));
                        System.out.println("transcribed in the hook: " + t.audioDurationMs() + " ms");
                    } catch (RuntimeException | Error e) {
                        System.out.println("failed in the hook: " + e);
                    }
                }
                System.out.flush();
            }));
        }
    }
}
