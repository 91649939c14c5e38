package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path prlimit = Paths.get("/usr/bin/prlimit");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(prlimit),
                "SKIPPED LOUDLY: /usr/bin/prlimit (util-linux) is missing, cannot cap the address space");
        Process p = TestJvm.builder(tmp, Map.of(), List.of("-Xmx64m", "-XX:+UseSerialGC", "-Xint"), Main.class)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ready")) {
            log.append(line).append('\n');
        }
        assertTrue(line != null, "the probe did not start:\n" + log);
        long vmKb = Files.readAllLines(Paths.get("/proc/" + p.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmSize:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
                .orElseThrow();
        long cap = (vmKb + 48 * 1024) * 1024;
        Process limit = new ProcessBuilder(prlimit.toString(), "--pid", Long.toString(p.pid()), "--as=" + cap + ":" + cap)
                .redirectErrorStream(true).start();
        assertTrue(limit.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, limit.exitValue(), new String(limit.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (OutputStream in = p.getOutputStream()) {
            in.write('\n');
        }
        while ((line = out.readLine()) != null) {
            log.append(line).append('\n');
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(List.of(), ShutdownTest.crashFiles(tmp), "the JVM crashed:\n" + log);
        assertEquals(0, p.exitValue(), log.toString());
        assertTrue(log.toString().contains("refused: whisper.cpp could not allocate a state: out of memory (std::bad_alloc)"),
                log.toString());
        assertTrue(log.toString().contains("still alive"), log.toString());
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
