package io.github.whisperjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service over real HTTP on loopback, with the tiny for-tests model. */
class TranscriptionServerTest {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    static TranscriptionServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Whisper w = Whisper.load(SHARED.resolve("models/for-tests-ggml-tiny.bin"), ModelOptions.defaults().withConcurrency(2));
        server = new TranscriptionServer(w, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2,
                Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(byte[] body, String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/transcribe" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void transcribesAPostedWav() throws Exception {
        HttpResponse<String> r = post(Files.readAllBytes(SHARED.resolve("audio/jfk.wav")), "?language=en");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("en", j.get("language").asText());
        assertEquals(11_000, j.get("duration_ms").asLong());
        assertTrue(j.get("segments").isArray());
    }

    @Test
    void concurrentRequestsShareTheModel() throws Exception {
        byte[] wav = Files.readAllBytes(SHARED.resolve("audio/jfk.wav"));
        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/transcribe"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : fs) {
            HttpResponse<String> r = f.get(300, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @Test
    void badInputGetsFourHundreds() throws Exception {
        HttpResponse<String> garbage = post("not a wav".getBytes(), "");
        assertEquals(400, garbage.statusCode());
        assertTrue(JSON.readTree(garbage.body()).get("error").asText().contains("is not audio in a format whisper-java reads"), garbage.body());
        assertEquals(400, post(Files.readAllBytes(SHARED.resolve("audio/jfk.wav")), "?language=klingon").statusCode());
        assertEquals(400, post(new byte[0], "").statusCode());
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/transcribe")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void fitWindowIsAQueryParameter() throws Exception {
        byte[] wav = Files.readAllBytes(SHARED.resolve("audio/jfk.wav"));
        HttpResponse<String> fit = post(wav, "?fit_window=true");
        assertEquals(200, fit.statusCode(), fit.body());
        // jfk.wav is 11 s: 550 positions + 128 (the for-tests model decodes nothing, so nothing falls back)
        assertEquals(678, JSON.readTree(fit.body()).get("encoder_positions").asInt(), fit.body());
        HttpResponse<String> full = post(wav, "");
        assertEquals(1500, JSON.readTree(full.body()).get("encoder_positions").asInt(), full.body());
        HttpResponse<String> bad = post(wav, "?fit_window=sometimes");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("fit_window must be true or false"), bad.body());
    }

    @Test
    void vadIsAQueryParameter() throws Exception {
        // the VAD model comes from whisper.vad.model (the pom sets it to ../shared's Silero v6.2.0)
        java.io.ByteArrayOutputStream silence = new java.io.ByteArrayOutputStream();
        try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(new byte[64_000]),
                new javax.sound.sampled.AudioFormat(16_000, 16, 1, true, false), 32_000)) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, silence);
        }
        HttpResponse<String> quiet = post(silence.toByteArray(), "?vad=true");
        assertEquals(200, quiet.statusCode(), quiet.body());
        assertEquals(0, JSON.readTree(quiet.body()).get("encoder_positions").asInt(), "whisper ran on silence: "
                + quiet.body());
        assertEquals(2000, JSON.readTree(quiet.body()).get("duration_ms").asLong());
        HttpResponse<String> speech = post(Files.readAllBytes(SHARED.resolve("audio/jfk.wav")), "?vad=true&vad_threshold=0.4");
        assertEquals(200, speech.statusCode(), speech.body());
        assertEquals(1500, JSON.readTree(speech.body()).get("encoder_positions").asInt(), speech.body());
        JsonNode phases = JSON.readTree(speech.body()).get("timings_ms");
        assertTrue(phases.get("vad").asDouble() > 0 && phases.get("encode").asDouble() > 0, speech.body());
        assertEquals(0, JSON.readTree(quiet.body()).get("timings_ms").get("encode").asDouble(), quiet.body());
        HttpResponse<String> bad = post(Files.readAllBytes(SHARED.resolve("audio/jfk.wav")), "?vad_threshold=2");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("threshold must be 0..1"), bad.body());
    }

    @Test
    void healthNamesTheModel() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("tiny", JSON.readTree(r.body()).get("type").asText());
    }
}
