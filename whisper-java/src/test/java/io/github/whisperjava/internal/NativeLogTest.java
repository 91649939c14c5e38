package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.TestJvm;
import io.github.whisperjava.Whisper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp's log reaches SLF4J as whole lines, from any thread, and lines SLF4J would not print
 * never leave C; a failed GGML_ASSERT is logged before the process aborts.
 */
class NativeLogTest {
    static final Path TINY = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"),
            "models/for-tests-ggml-tiny.bin");

    @TempDir
    Path tmp;

    @Test
    void linesBelowTheLoggersLevelCostNoUpcall() {
        // this JVM logs at INFO: whisper.cpp's INFO chatter (dozens of lines per load) maps to DEBUG
        long unwanted = NativeLog.RECEIVED_UNWANTED.get();
        long received = NativeLog.RECEIVED.get();
        try (Whisper w = Whisper.load(TINY)) {
            w.transcribe(new float[16_000]);
        }
        assertEquals(0, NativeLog.RECEIVED_UNWANTED.get() - unwanted, "lines nobody prints were sent up");
        assertTrue(NativeLog.RECEIVED.get() - received >= 1, "the for-tests model's warning must still arrive");
    }

    @Test
    void atDebugEveryLineArrivesWhole() throws Exception {
        String out = TestJvm.run(tmp, "debug", Map.of(),
                List.of("-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug"), Probe.class, TINY.toString());
        assertTrue(out.lines().anyMatch(l -> l.matches(".*DEBUG io\\.github\\.whisperjava\\.native - "
                + "whisper_model_load: n_vocab\\s+= 51865")), out);
        assertTrue(out.lines().noneMatch(l -> l.endsWith("native - ")), "an empty fragment became a line:\n" + out);
    }

    /**
     * ggml's worker threads are not Java threads: the shim attaches one for each line it sends up, so
     * a line must be assembled in C, per thread, across its fragments. Nothing in whisper.cpp logs from
     * a worker in normal operation, so a test helper library (src/test/native/log_from_threads.c)
     * starts 8 native threads that log 200 lines each through ggml's logger, in four interleaved
     * fragments a line; every line must arrive once and whole.
     */
    @Test
    void linesFromNativeThreadsArriveWhole() throws Exception {
        Path cc = Paths.get("/usr/bin/cc");
        Assumptions.assumeTrue(Files.isExecutable(cc), "SKIPPED LOUDLY: no C compiler at /usr/bin/cc for the helper");
        Path natives = NativeLoader.load();
        Path javaHome = Paths.get(System.getProperty("java.home"));
        Path lib = tmp.resolve("liblogthreads.so");
        Process build = new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-O1",
                "-I" + javaHome.resolve("include"), "-I" + javaHome.resolve("include/linux"),
                Paths.get("src/test/native/log_from_threads.c").toAbsolutePath().toString(),
                natives.resolve("libwhisperjava-ggml-base.so.0").toString(), "-Wl,-rpath," + natives, "-lpthread",
                "-o", lib.toString()).redirectErrorStream(true).start();
        String buildOut = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(120, TimeUnit.SECONDS) && build.exitValue() == 0, "helper did not build:\n" + buildOut);
        String out = TestJvm.run(tmp, "threads", Map.of(), List.of("-Xcheck:jni", "-Dwhisper.native.path=" + natives),
                ThreadsProbe.class, lib.toString(), "8", "200");
        assertTrue(out.contains("threads started: 8"), out);
        List<String> lines = out.lines().filter(l -> l.contains("io.github.whisperjava.native - ")).toList();
        Map<String, Long> seen = lines.stream().map(l -> l.substring(l.indexOf(" - ") + 3))
                .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        List<String> wrong = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 200; i++) {
                String whole = "native thread " + t + " line " + i + ": one, two, three, end";
                if (seen.getOrDefault(whole, 0L) != 1) {
                    wrong.add(whole + " x" + seen.getOrDefault(whole, 0L));
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " lines not received exactly once, e.g. "
                + wrong.subList(0, Math.min(10, wrong.size())));
        assertEquals(8 * 200, lines.size(), "fragments arrived as lines of their own:\n"
                + lines.stream().filter(l -> !l.endsWith(", end")).limit(20).collect(Collectors.joining("\n")));
        assertTrue(lines.stream().allMatch(l -> l.contains(" WARN ")), "a continuation lost its line's level");
    }

    /**
     * A failed GGML_ASSERT aborts the process, but says why through SLF4J first. A real one: a model
     * file whose n_audio_head (7) does not divide n_audio_state (384) loads, and whisper.cpp builds its
     * encoder graph for the first state with heads of 54 values, which ggml_reshape refuses. Whisper.load
     * refuses such a header before whisper.cpp sees it (GgmlModelHeader), so the probe hands it to the
     * native call below that check; whisper.cpp itself accepts it.
     */
    @Test
    void aFailedGgmlAssertIsLoggedBeforeTheAbort() throws Exception {
        byte[] model = Files.readAllBytes(TINY);
        ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 3 * 4, 7); // n_audio_head
        Path bad = Files.write(tmp.resolve("heads7.bin"), model);
        Process p = TestJvm.start(tmp, "assert", Map.of(), List.of(), AssertProbe.class, bad.toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
        String out = Files.readString(tmp.resolve("assert.log"));
        assertEquals(134, p.exitValue(), "expected the abort (SIGABRT), got:\n" + out);
        assertTrue(out.contains("opened"), out);
        String assertText = "GGML_ASSERT(ggml_nelements(a) == ne0*ne1*ne2) failed";
        assertTrue(out.lines().anyMatch(l -> l.matches("\\[main\\] ERROR io\\.github\\.whisperjava\\.native - native code "
                + "aborts the process: .*ggml\\.c:\\d+: " + Pattern.quote(assertText))),
                "no SLF4J line with the assert:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("native code aborts the process: ") && l.endsWith(assertText)),
                "no stderr copy of it:\n" + out);
        assertTrue(out.lines().noneMatch(String::isEmpty), "the abort line carried its newline into SLF4J:\n" + out);
        assertTrue(!out.contains("leased"), out);
    }

    /**
     * Hands whisper.cpp the model in args[0] without the Java header check (a for-tests model has no tensor
     * data: the whole file is what a check would have kept), and makes its first state.
     */
    public static final class AssertProbe {
        public static void main(String[] args) throws Exception {
            NativeLoader.load();
            Path model = Paths.get(args[0]);
            long ctx = WhisperJni.initContext(WhisperJni.fileSystemBytes(model), Files.readAllBytes(model), new long[0],
                    false, false, 0, 0);
            System.out.println("opened");
            System.out.flush();
            WhisperJni.initState(ctx);
            System.out.println("leased: whisper.cpp did not assert");
        }
    }

    /** Loads the helper in args[0] and has args[1] native threads log args[2] lines each. */
    public static final class ThreadsProbe {
        static native int logFromThreads(int threads, int lines);

        public static void main(String[] args) {
            NativeLoader.load();
            System.load(args[0]);
            int started = logFromThreads(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            System.out.println("threads started: " + started);
        }
    }

    public static final class Probe {
        public static void main(String[] args) {
            try (Whisper w = Whisper.load(Paths.get(args[0]))) {
                w.transcribe(new float[16_000]);
            }
        }
    }
}
