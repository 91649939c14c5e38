package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp throwing std::bad_alloc is a Java exception, not a dead JVM. A JVM loads a model, then
 * its address space is capped (prlimit RLIMIT_AS) at what it uses plus 48 MB: enough for a state's
 * KV caches, not for the 93 MB logits vector whisper_init_state reserves next, which throws. Through
 * the C frames of the JNI shim that exception would reach std::terminate and abort the process.
 */
class NativeOutOfMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void badAllocInsideWhisperCppIsAJavaException() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(TestJvm.PRLIMIT),
                "SKIPPED LOUDLY: /usr/bin/prlimit (util-linux) is missing, cannot cap the address space");
        String log = TestJvm.runUnderAddressCap(tmp, List.of("-Xmx64m", "-XX:+UseSerialGC", "-Xint"), Main.class,
                48 * 1024);
        assertTrue(log.contains("refused: whisper.cpp could not allocate a state: out of memory (std::bad_alloc)"), log);
        assertTrue(log.contains("still alive"), log);
    }

    public static final class Main {
        public static void main(String[] args) throws Exception {
            try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(1))) {
                new WhisperException("load the exception class before the address space is capped");
                System.out.println("ready");
                System.out.flush();
                System.in.read();
                try {
                    w.transcribe(new float[16_000], TranscribeParams.builder().threads(1).build());
                    System.out.println("transcribed: the cap was not low enough");
                } catch (WhisperException e) {
                    System.out.println("refused: " + e.getMessage());
                }
                System.out.println("still alive");
            }
        }
    }
}
