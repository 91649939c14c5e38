package io.github.whisperjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged transcribe.jar in a fresh JVM: natives come out of the jar with LD_LIBRARY_PATH unset,
 * every JNI call passes -Xcheck:jni, and errors are one line with a non-zero exit.
 */
class TranscribeJarIT {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir")).toAbsolutePath().normalize();
    static final Path JAR = Paths.get(System.getProperty("transcribe.jar"));
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    Result run(String... args) throws IOException, InterruptedException {
        return runWithEnv(Map.of(), args);
    }

    Result runWithEnv(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = start(env, args);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "transcribe.jar hung");
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
    }

    Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xcheck:jni", "-Dwhisper.native.cache=" + tmp.resolve("cache"), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().remove("WHISPER_NATIVE_PATH");
        pb.environment().keySet().removeIf(k -> k.startsWith("WHISPER_")); // a developer's settings must not leak in
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        return pb.start();
    }

    @Test
    void transcribesFromThePackagedJarWithoutLdLibraryPath() throws Exception {
        Result r = run("--model", TINY.toString(), "--threads", "2", "--max-tokens", "8", JFK.toString(), JFK.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("== ")).count(), r.out());
        assertTrue(r.out().contains("tiny model, language en"), r.out());
        assertFalse(r.err().contains("WARNING in native method"), "-Xcheck:jni complained:\n" + r.err());
        assertTrue(r.err().contains("CPU backend"), "loader did not say which CPU variant it chose:\n" + r.err());
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            Path extracted = s.filter(Files::isDirectory).findFirst().orElseThrow();
            assertTrue(Files.exists(extracted.resolve("libwhisper-jni.so")));
        }
        assertNoCrashFiles();
    }

    @Test
    void badModelIsOneLineAndNonZero() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.bin"), "not a model");
        Result r = run("--model", junk.toString(), JFK.toString());
        assertEquals(1, r.exit());
        List<String> ours = r.err().lines().filter(l -> l.startsWith("transcribe: ")).toList();
        assertEquals(1, ours.size(), r.err());
        assertTrue(ours.get(0).contains("not a whisper.cpp ggml model"), r.err());
        assertNoCrashFiles();
    }

    @Test
    void badAudioIsOneLineAndNonZero() throws Exception {
        Path missing = tmp.resolve("missing.wav");
        Result r = run("--model", TINY.toString(), missing.toString());
        assertEquals(1, r.exit());
        // one line naming the file and what is wrong with it, then the count
        assertEquals(List.of("transcribe: " + missing + ": audio file does not exist: " + missing,
                "transcribe: 1 of 1 files failed"),
                r.err().lines().filter(l -> l.startsWith("transcribe: ")).toList(), r.err());
        assertNoCrashFiles();
    }

    @Test
    void oneBadFileInABatchDoesNotHideTheOthers() throws Exception {
        Path missing = tmp.resolve("missing.wav");
        Path empty = Files.write(tmp.resolve("empty.wav"), new byte[0]);
        Result r = run("--model", TINY.toString(), "--jobs", "2", JFK.toString(), missing.toString(), JFK.toString(),
                empty.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("== " + JFK, "== " + JFK),
                r.out().lines().filter(l -> l.startsWith("== ")).map(l -> l.substring(0, l.indexOf(" ("))).toList(),
                r.out());
        assertTrue(r.err().contains("transcribe: " + missing + ": audio file does not exist"), r.err());
        assertTrue(r.err().contains("transcribe: " + empty + ": " + empty + " is empty (0 bytes)"), r.err());
        assertTrue(r.err().contains("transcribe: 2 of 4 files failed"), r.err());
        assertNoCrashFiles();
    }

    @Test
    void sigtermDuringATranscriptionExitsCleanlyWith143() throws Exception {
        List<String> args = new ArrayList<>(List.of("--model", TINY.toString(), "--jobs", "2"));
        for (int i = 0; i < 40; i++) {
            args.add(JFK.toString());
        }
        Process p = start(Map.of(), args.toArray(String[]::new));
        Path err = tmp.resolve("err.txt");
        Path out = tmp.resolve("out.txt");
        // the first file printed: the batch is under way and both workers are on the next files
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(out).contains("== ")) {
            assertTrue(p.isAlive(), "the CLI exited before its first transcript: " + Files.readString(err));
            assertTrue(System.nanoTime() < deadline, "no transcript within 120 s: " + Files.readString(err));
            Thread.sleep(10);
        }
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "no exit after SIGTERM");
        String log = Files.readString(err);
        assertEquals(143, p.exitValue(), log);
        assertTrue(log.contains("cancelling") && log.contains("running transcription"), log);
        assertNoCrashFiles();
    }

    @Test
    void fitWindowFlagTranscribesWithAFittedWindow() throws Exception {
        // the for-tests model decodes nothing: the fitted window is kept
        Result ok = run("--model", TINY.toString(), "--fit-window", JFK.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("== " + JFK), ok.out());
        assertTrue(!ok.err().contains("transcribing again with the full window"), ok.err());
        assertTrue(TranscribeCli.usage().contains("--fit-window"));
    }

    @Test
    void vadFlagsRunVoiceActivityDetectionWithTheNamedModel() throws Exception {
        Path silero = SHARED.resolve("models/for-tests-silero-v6.2.0-ggml.bin");
        Result ok = run("--model", TINY.toString(), "--vad-model", silero.toString(), JFK.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("== " + JFK), ok.out());
        // --vad-model implies --vad: a missing model is a one-line error, not a transcription without VAD
        Result missing = run("--model", TINY.toString(), "--vad-model", tmp.resolve("no-vad.bin").toString(),
                JFK.toString());
        assertEquals(1, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains("no-vad.bin") && missing.err().contains("no such file"), missing.err());
        assertTrue(TranscribeCli.usage().contains("--vad-threshold"));
        assertNoCrashFiles();
    }

    @Test
    void usageErrorExitsTwo() throws Exception {
        Result r = run("--jobs", "0", JFK.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--jobs must be 1..64"), r.err());
        assertEquals(2, run("--bogus", JFK.toString()).exit());
    }

    @Test
    void modelComesFromTheEnvironmentWithoutModelFlag() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.copy(TINY, models.resolve("ggml-tiny-q5_1.bin"));
        Result r = runWithEnv(Map.of("WHISPER_MODELS_DIR", models.toString(), "WHISPER_MODEL_SIZE", "tiny",
                "WHISPER_OFFLINE", "1"), "--jobs", "2", "--max-tokens", "4", JFK.toString(), JFK.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("tiny model"), r.out());

        Result list = runWithEnv(Map.of("WHISPER_MODELS_DIR", models.toString()), "models", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("tiny-q5_1 ") && l.endsWith("yes")), list.out());
        assertTrue(list.out().contains("large-v3-turbo-q5_0"), list.out());

        Result offline = runWithEnv(Map.of("WHISPER_MODELS_DIR", models.toString(), "WHISPER_OFFLINE", "1"),
                "--model-size", "base", JFK.toString());
        assertEquals(1, offline.exit());
        assertTrue(offline.err().contains("WHISPER_OFFLINE"), offline.err());
        assertNoCrashFiles();
    }

    @Test
    void serveAnswersThenSigtermDrainsClosesTheModelAndExitsZero() throws Exception {
        // port 0: the kernel picks a free one, and the log says which
        Process p = start(Map.of("WHISPER_MODEL_PATH", TINY.toString()),
                "serve", "--port", "0", "--concurrency", "1", "--grace", "5");
        Path err = tmp.resolve("err.txt");
        try {
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Matcher m = listening.matcher("");
            while (!(m = listening.matcher(Files.readString(err))).find()) {
                assertTrue(p.isAlive(), "serve exited before listening: " + Files.readString(err));
                assertTrue(System.nanoTime() < deadline, "not listening within 120 s: " + Files.readString(err));
                Thread.sleep(20);
            }
            String base = "http://127.0.0.1:" + m.group(1);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> ready;
            for (;;) { // /health answers from the start; /ready once the model is loaded
                assertEquals(200, get(http, base + "/health").statusCode());
                ready = get(http, base + "/ready");
                if (ready.statusCode() == 200) {
                    break;
                }
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(System.nanoTime() < deadline, "not ready within 120 s: " + Files.readString(err));
                Thread.sleep(20);
            }
            assertTrue(ready.body().contains("for-tests-ggml-tiny.bin"), ready.body());

            String boundary = "jar-it-boundary";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jfk.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/audio/transcriptions"))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(JFK), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("{\"text\""), r.body()); // the for-tests model: no words, the shape only
            assertEquals("for-tests-ggml-tiny.bin", r.headers().firstValue("X-Whisper-Model").orElse(null));
        } finally {
            p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit within 60 s of SIGTERM: " + Files.readString(err));
        String log = Files.readString(err);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("model for-tests-ggml-tiny.bin loaded"), log);
        assertTrue(log.contains("stopping: /ready 503"), log);
        assertTrue(log.contains("model for-tests-ggml-tiny.bin closed"), log);
        assertTrue(log.indexOf("model for-tests-ggml-tiny.bin closed") > log.indexOf("stopping"), log);
        assertFalse(log.contains("WARNING in native method"), "-Xcheck:jni complained:\n" + log);
        assertNoCrashFiles();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertNoCrashFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("hs_err_pid")), "the JVM crashed");
        }
    }
}
