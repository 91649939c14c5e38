package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 transcriptions in one JVM keep resident memory flat after warm-up. Runs in a JVM of its own
 * with a small, fixed heap, so what grows is native memory and not other tests' garbage.
 */
class LeakTest {
    /** The bound we assert: growth of resident memory from call 100 to call 1,000. */
    static final long MAX_GROWTH_KB = 16 * 1024;

    @TempDir
    Path tmp;

    @Test
    void thousandTranscriptionsKeepResidentMemoryFlat() throws Exception {
        Path log = tmp.resolve("leak.log");
        Process p = TestJvm.start(tmp, "leak", Map.of(), List.of("-Xms64m", "-Xmx64m",
                "-XX:+UseSerialGC"), Probe.class);
        // a loaded machine may take long; only a probe that stops making progress has hung
        long lastSize = -1;
        long lastChange = System.nanoTime();
        while (!p.waitFor(5, TimeUnit.SECONDS)) {
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size != lastSize) {
                lastSize = size;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(300)) {
                p.destroyForcibly();
                throw new AssertionError("leak probe made no progress for 300 s:\n" + Files.readString(log));
            }
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("rss ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        long warm = Long.parseLong(f[1]);
        long end = Long.parseLong(f[2]);
        System.out.printf("resident memory: %d KiB after 100 calls, %d KiB after 1000 (growth %d KiB, bound %d KiB)%n",
                warm, end, end - warm, MAX_GROWTH_KB);
        assertTrue(end - warm < MAX_GROWTH_KB, "resident memory grew by " + (end - warm) + " KiB");
    }

    /** The probe: base for-tests model, 1,000 calls through every native path (segments, tokens, listener). */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            float[] clip = Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 16_000 * 2);
            // a short encoder context keeps 1,000 calls to about two minutes on 2 cores
            TranscribeParams p = TranscribeParams.builder().threads(2).audioContext(64).maxTokensPerSegment(8)
                    .tokenTimestamps(true).build();
            long warm = 0;
            try (Whisper w = Whisper.load(TestData.forTestsModel("base"), ModelOptions.defaults().withConcurrency(1))) {
                for (int i = 1; i <= 1000; i++) {
                    w.transcribe(clip, p, CallOptions.none().withListener(new TranscriptionListener() {}));
                    if (i == 100) {
                        warm = rssKb();
                    }
                    if (i % 50 == 0) {
                        System.out.println("call " + i); // progress, for the hang watchdog
                    }
                }
                System.out.println("rss " + warm + " " + rssKb());
            }
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
