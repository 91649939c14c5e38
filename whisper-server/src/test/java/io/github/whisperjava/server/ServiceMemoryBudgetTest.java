package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.AudioDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service admits bounds its memory: a server in its own JVM with {@code -Xmx1g} and one whisper
 * state takes eight concurrent uploads of an hour of silence, as FLAC (110 kB) and as 8 kbps MP3
 * (3.6 MB), each of which decodes to 230 MB of samples. Every answer is 200, 413 or 503, none 500; no
 * OutOfMemoryError; {@code /health} answers within a second throughout; and a real request is served
 * afterwards. Before admission came first, all eight decoded at once into a 1 GB heap.
 */
class ServiceMemoryBudgetTest {
    @TempDir
    Path tmp;

    @Test
    void theSilentFilesAreWhatTheySayTheyAre() {
        assertEquals(10 * 16_000 / 4608 * 4608 + 4608, AudioDecoder.decode16kMono(SilentAudio.flac(10)).length);
        float[] mp3 = AudioDecoder.decode16kMono(SilentAudio.mp3(10));
        assertTrue(Math.abs(mp3.length - 160_000) <= 2 * 576, "mp3 samples: " + mp3.length);
        for (float s : mp3) {
            assertEquals(0f, s);
        }
    }

    @Test
    void eightHourLongUploadsOnAOneGigabyteHeapAreAnswered200Or413Or503WhileHealthAnswers() throws Exception {
        byte[] flac = SilentAudio.flac(3_660);
        byte[] mp3 = SilentAudio.mp3(3_660);
        Path err = tmp.resolve("err.txt");
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dwhisper.native.cache=" + System.getProperty("whisper.native.cache"),
                "-cp", System.getProperty("java.class.path"), "io.github.whisperjava.server.WhisperServer",
                "--port", "0", "--concurrency", "1", "--no-vad", "--queue-timeout", "120");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WHISPER_"));
        pb.environment().put("WHISPER_MODEL_PATH", ServiceFixture.TINY.toAbsolutePath().toString());
        Process server = pb.start();
        ExecutorService clients = Executors.newFixedThreadPool(9);
        try {
            String base = awaitReady(server, err);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Set<Integer> statuses = ConcurrentHashMap.newKeySet();
            List<Future<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] body = i % 2 == 0 ? flac : mp3;
                uploads.add(clients.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/transcribe"))
                        .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())));
            }
            AtomicLong slowestHealthMs = new AtomicLong();
            int healthChecks = 0;
            while (!uploads.stream().allMatch(Future::isDone)) {
                long t0 = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                slowestHealthMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                healthChecks++;
                Thread.sleep(200);
                assertTrue(server.isAlive(), "the server died: " + Files.readString(err));
            }
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            for (Future<HttpResponse<String>> f : uploads) {
                HttpResponse<String> r = f.get();
                statuses.add(r.statusCode());
                counts.merge(r.statusCode(), 1, Integer::sum);
                assertTrue(Set.of(200, 413, 503).contains(r.statusCode()), r.statusCode() + ": " + r.body());
                if (r.statusCode() == 503) {
                    assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.body());
                }
            }
            assertTrue(statuses.contains(413), "no upload was decoded up to the limit: " + counts);
            HttpResponse<String> real = http.send(HttpRequest.newBuilder(URI.create(base + "/transcribe"))
                    .timeout(Duration.ofMinutes(2)).header("Content-Type", "audio/wav")
                    .POST(HttpRequest.BodyPublishers.ofFile(ServiceFixture.SHARED.resolve("audio/jfk.wav")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, real.statusCode(), real.body());
            String log = Files.readString(err);
            assertFalse(log.contains("OutOfMemoryError"), log);
            System.out.printf("8 hour-long uploads on -Xmx1g: %s; /health answered %d times, slowest %d ms; "
                    + "peak RSS %s%n", counts, healthChecks, slowestHealthMs.get(), peakRss(server));
        } finally {
            clients.shutdownNow();
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String awaitReady(Process server, Path log) throws Exception {
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Matcher m;
        while (!(m = listening.matcher(Files.readString(log))).find()) {
            assertTrue(server.isAlive(), "serve exited: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "not listening within 120 s: " + Files.readString(log));
            Thread.sleep(20);
        }
        String base = "http://127.0.0.1:" + m.group(1);
        HttpClient http = HttpClient.newHttpClient();
        while (http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready within 120 s: " + Files.readString(log));
            Thread.sleep(20);
        }
        return base;
    }

    /** The server's peak resident memory (VmHWM), as Linux reports it. */
    private static String peakRss(Process p) throws Exception {
        Path status = Paths.get("/proc", Long.toString(p.pid()), "status");
        if (!Files.exists(status)) {
            return "unknown (no /proc)";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).strip()).findFirst().orElse("unknown");
    }
}
