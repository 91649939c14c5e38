package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.internal.CpuBudget;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process settings given in code win over the environment, the environment stays the default, and a
 * change after the library read them is refused with a message that says why. Each case runs in a
 * fresh JVM: the settings are fixed for a JVM's life once read, and this one has read them long ago.
 */
class WhisperRuntimeTest {
    @TempDir
    Path tmp;

    /** Child: applies the settings when asked, loads and transcribes, then prints what the library used. */
    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[1]);
        System.out.println("configurable before: " + WhisperRuntime.isConfigurable());
        if (args[0].equals("configure")) {
            WhisperRuntime.configure().cpuThreads(3).nativeCache(cache).shutdownGrace(Duration.ofSeconds(7)).apply();
        }
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            w.transcribe(new float[16_000], TranscribeParams.builder().threads(1).build());
        }
        System.out.println("budget: " + CpuBudget.process().size());
        Field grace = Class.forName("io.github.whisperjava.internal.ShutdownGuard").getDeclaredField("GRACE");
        grace.setAccessible(true);
        System.out.println("grace: " + grace.get(null));
        System.out.println("configurable after: " + WhisperRuntime.isConfigurable());
        try {
            WhisperRuntime.configure().cpuThreads(2).apply();
            System.out.println("late apply: accepted");
        } catch (IllegalStateException e) {
            System.out.println("late apply: " + e.getMessage());
        }
    }

    @Test
    void settingsInCodeWinOverTheEnvironmentAndAreFixedOnceRead() throws Exception {
        Path cache = tmp.resolve("natives-from-code");
        String out = TestJvm.run(tmp, "configured", Map.of("WHISPER_CPU_THREADS", "5", "WHISPER_SHUTDOWN_GRACE", "9"),
                List.of(), WhisperRuntimeTest.class, "configure", cache.toString());
        assertTrue(out.contains("configurable before: true"), out);
        assertTrue(out.contains("budget: 3\n"), "cpuThreads(3) over WHISPER_CPU_THREADS=5:\n" + out);
        assertTrue(out.contains("grace: PT7S"), "shutdownGrace(7 s) over WHISPER_SHUTDOWN_GRACE=9:\n" + out);
        assertTrue(out.contains("configurable after: false"), out);
        assertTrue(out.contains("late apply: whisper-java's process settings can no longer change"), out);
        // over -Dwhisper.native.cache, which every test JVM is given
        try (Stream<Path> files = Files.walk(cache)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("libs.txt")),
                    "the natives were not extracted under " + cache + ":\n" + out);
        }
    }

    @Test
    void withoutCodeTheEnvironmentDecides() throws Exception {
        String out = TestJvm.run(tmp, "environment", Map.of("WHISPER_CPU_THREADS", "5", "WHISPER_SHUTDOWN_GRACE", "9"),
                List.of(), WhisperRuntimeTest.class, "none", tmp.resolve("unused").toString());
        assertTrue(out.contains("budget: 5\n"), out);
        assertTrue(out.contains("grace: PT9S"), out);
        assertTrue(out.contains("late apply: whisper-java's process settings can no longer change"), out);
    }

    @Test
    void badValuesAreRefusedWhenGiven() {
        assertThrows(IllegalArgumentException.class, () -> WhisperRuntime.configure().cpuThreads(0));
        assertThrows(IllegalArgumentException.class,
                () -> WhisperRuntime.configure().shutdownGrace(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> WhisperRuntime.configure().shutdownGrace(Duration.ofHours(2)));
    }
}
