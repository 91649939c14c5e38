package io.github.whisperjava.server;

import static io.github.whisperjava.server.ServiceFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both APIs over real HTTP on loopback with the tiny for-tests model: formats, fields, errors, limits, status. */
class ServiceHttpTest {
    static TranscriptionServer server;
    static HttpServer files;
    static String filesBase;

    @BeforeAll
    static void start() throws Exception {
        byte[] jfk = jfk();
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        files.createContext("/jfk.wav", ex -> {
            ex.sendResponseHeaders(200, jfk.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(jfk);
            }
        });
        files.start();
        filesBase = "http://127.0.0.1:" + files.getAddress().getPort() + "/";
        ServiceConfig c = ServiceConfig.defaults().withConcurrency(2).withSizes(2 << 20, Duration.ofSeconds(20))
                .withFetch(FetchPolicy.defaults().withAllowedPrefixes(List.of(filesBase)));
        server = ServiceFixture.start(c);
    }

    @AfterAll
    static void stop() {
        server.close();
        files.stop(0);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Replies.JSON.readTree(r.body());
    }

    @Test
    void seedApiTakesAnAudioUrl() throws Exception {
        HttpResponse<String> r = postJson(server, "/transcribe", "{\"audio_url\":\"" + filesBase + "jfk.wav\",\"language\":\"en\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = json(r);
        assertEquals(11.0, j.get("duration").asDouble());
        assertEquals("english", j.get("language").asText(), "OpenAI's verbose_json names the language");
        assertEquals("for-tests-ggml-tiny.bin", j.get("model").asText());
        assertTrue(j.get("segments").isArray());
        assertEquals("for-tests-ggml-tiny.bin", r.headers().firstValue("X-Whisper-Model").orElseThrow());
        HttpResponse<String> text = postJson(server, "/transcribe", "{\"audio_url\":\"" + filesBase
                + "jfk.wav\",\"response_format\":\"text\"}");
        assertEquals(200, text.statusCode(), text.body());
        assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    }

    /** No cue (the for-tests model decodes none) is a newline, not an empty body, which clients read as no answer. */
    @Test
    void anSrtWithoutCuesIsANewline() throws Exception {
        HttpResponse<String> r = postForm(server, "/v1/audio/transcriptions", jfk(), "model", "whisper-1",
                "response_format", "srt");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("\n", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    }

    /** The plan's {@code curl -X POST .../transcribe -d '{"audio_url": ...}'}: curl labels that body a form. */
    @Test
    void seedApiTakesJsonLabelledAsAFormAndAUrlEncodedForm() throws Exception {
        HttpResponse<String> curlD = post("{\"audio_url\":\"" + filesBase + "jfk.wav\"}");
        assertEquals(200, curlD.statusCode(), curlD.body());
        assertEquals(11.0, json(curlD).get("duration").asDouble());
        HttpResponse<String> form = post("audio_url=" + URLEncoder.encode(filesBase + "jfk.wav", StandardCharsets.UTF_8)
                + "&response_format=text");
        assertEquals(200, form.statusCode(), form.body());
        assertTrue(form.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"), form.body());
        HttpResponse<String> bad = post("audio_url=%zz");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("the form body is not URL-encoded"), bad.body());
        HttpResponse<String> notJson = post("{\"audio_url\":");
        assertEquals(400, notJson.statusCode(), notJson.body());
    }

    private static HttpResponse<String> post(String formBody) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(server, "/transcribe")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void seedApiTakesAnUploadAsFormOrRawBody() throws Exception {
        HttpResponse<String> form = postForm(server, "/transcribe", jfk(), "language", "en", "fit_window", "true");
        assertEquals(200, form.statusCode(), form.body());
        // fit_window reached the library: 11 s of audio is 50 positions a second plus 128, not the full 1500
        // (the for-tests model decodes nothing, so the fitted result is kept)
        assertEquals("678", form.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
        assertTrue(form.headers().firstValue("X-Whisper-Window-Fallback").isEmpty());
        HttpResponse<String> raw = postRaw(server, "/transcribe?language=en&response_format=srt", jfk());
        assertEquals(200, raw.statusCode(), raw.body());
        assertEquals("1500", raw.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
    }

    @Test
    void vadTranscribesOnlyTheSpeechAndKeepsTheFilesTimes() throws Exception {
        // Silero (whisper.vad.model names the genuine v6.2.0 from ../shared) finds no speech in silence:
        // no encoder run at all, where the same request without vad encodes a full window
        byte[] silence = noiseWav(3);
        ByteBuffer.wrap(silence, 44, silence.length - 44).put(new byte[silence.length - 44]);
        HttpResponse<String> quiet = postForm(server, "/v1/audio/transcriptions", silence, "model", "whisper-1",
                "vad", "true", "response_format", "verbose_json");
        assertEquals(200, quiet.statusCode(), quiet.body());
        assertEquals("0", quiet.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
        assertEquals("", json(quiet).get("text").asText());
        assertEquals(0, json(quiet).get("segments").size());
        HttpResponse<String> plain = postForm(server, "/v1/audio/transcriptions", silence, "model", "whisper-1");
        assertEquals("1500", plain.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
        // speech: transcribed, and the duration is the uploaded file's, not the speech's
        HttpResponse<String> speech = postForm(server, "/v1/audio/transcriptions", jfk(), "model", "whisper-1",
                "vad", "true", "vad_threshold", "0.5", "response_format", "verbose_json");
        assertEquals(200, speech.statusCode(), speech.body());
        assertEquals(11.0, json(speech).get("duration").asDouble());
        assertEquals("1500", speech.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
    }

    /** Found in review and probing: each was a 500, or was accepted when it should be refused. */
    @Test
    void malformedParametersAre400VadFalseWinsAndTraceIs405() throws Exception {
        // java.net.http will not send a malformed escape: a raw request does
        byte[] audio = jfk();
        String badEscape = exchange(server, "POST /transcribe?language=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: audio/wav\r\nContent-Length: " + audio.length + "\r\nConnection: close\r\n\r\n", audio);
        assertTrue(badEscape.startsWith("HTTP/1.1 400 "), badEscape);
        assertTrue(badEscape.contains("not URL-encoded"), badEscape);
        for (String q : List.of("language=en%00", "response_format=verbose_json%00", "prompt=a%00b", "temperature=0x1p0",
                "temperature=NaN", "temperature=1f")) {
            HttpResponse<String> r = postRaw(server, "/transcribe?" + q, jfk());
            assertEquals(400, r.statusCode(), q + ": " + r.body());
        }
        assertEquals(200, postRaw(server, "/transcribe?temperature=0.5e0&prompt=a%0Ab", jfk()).statusCode());
        // vad=false with a threshold: the silence is encoded (a full window), not skipped as VAD would
        byte[] silence = noiseWav(3);
        ByteBuffer.wrap(silence, 44, silence.length - 44).put(new byte[silence.length - 44]);
        HttpResponse<String> off = postForm(server, "/v1/audio/transcriptions", silence, "model", "whisper-1",
                "vad", "false", "vad_threshold", "0.3");
        assertEquals(200, off.statusCode(), off.body());
        assertEquals("1500", off.headers().firstValue("X-Whisper-Encoder-Positions").orElseThrow());
        // TRACE would echo the request's headers, an API key among them
        HttpResponse<String> trace = HTTP.send(HttpRequest.newBuilder(URI.create(url(server, "/health")))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer sk-secret").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, trace.statusCode(), trace.body());
        assertFalse(trace.body().contains("sk-secret"), trace.body());
    }

    @Test
    void ssrfRefusalsAnswer400NamingAudioUrl() throws Exception {
        HttpResponse<String> r = postJson(server, "/transcribe", "{\"audio_url\":\"http://169.254.169.254/latest/\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("audio_url", json(r).get("error").get("param").asText());
        assertEquals("invalid_request_error", json(r).get("error").get("type").asText());
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        byte[] wav = jfk();
        String[][] cases = {
            {"response_format", "xml"}, {"temperature", "7"}, {"temperature", "hot"}, {"language", "english!"},
            {"timestamp_granularities[]", "syllable"}, {"vad_threshold", "2"}, {"fit_window", "sometimes"}};
        for (String[] c : cases) {
            HttpResponse<String> r = postForm(server, "/v1/audio/transcriptions", wav, "model", "whisper-1", c[0], c[1]);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            assertEquals(c[0].replace("[]", ""), json(r).get("error").get("param").asText(), r.body());
        }
        HttpResponse<String> noFile = postForm(server, "/v1/audio/transcriptions", null, "model", "whisper-1");
        assertEquals(400, noFile.statusCode());
        assertEquals("file", json(noFile).get("error").get("param").asText());
        HttpResponse<String> notWav = postForm(server, "/v1/audio/transcriptions", "not audio".getBytes(), "model", "x");
        assertEquals(400, notWav.statusCode(), notWav.body());
        HttpResponse<String> unknown = postForm(server, "/v1/audio/transcriptions", wav, "language", "xx");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals("language", json(unknown).get("error").get("param").asText(), unknown.body());
        assertEquals(405, get(server, "/v1/audio/transcriptions").statusCode());
        assertEquals(400, postJson(server, "/transcribe", "[1,2]").statusCode());
    }

    @Test
    void bodiesAndAudioOverTheLimitsAre413() throws Exception {
        // the 413 comes from the announced length, before a byte of the body has been sent
        String big = headersOnly(server, "/transcribe", "audio/wav", 3 << 20);
        assertTrue(big.startsWith("HTTP/1.1 413"), big);
        assertTrue(big.contains("\"error\""), big);
        String bigForm = headersOnly(server, "/v1/audio/transcriptions", "multipart/form-data; boundary=x", 3 << 20);
        assertTrue(bigForm.startsWith("HTTP/1.1 413"), bigForm);
        HttpResponse<String> longAudio = postForm(server, "/v1/audio/transcriptions", noiseWav(30), "model", "m");
        assertEquals(413, longAudio.statusCode(), longAudio.body());
        assertEquals("file", json(longAudio).get("error").get("param").asText());
    }

    @Test
    void mp3FlacAndOggVorbisUploadsAreTranscribedByBothApis() throws Exception {
        for (String name : List.of("jfk.mp3", "jfk.flac", "jfk.ogg")) {
            byte[] audio = audio(name);
            HttpResponse<String> openAi = postForm(server, "/v1/audio/transcriptions", name, audio, "model", "whisper-1",
                    "response_format", "verbose_json", "language", "en");
            assertEquals(200, openAi.statusCode(), name + ": " + openAi.body());
            assertEquals(11.0, json(openAi).get("duration").asDouble(), 0.1, name + ": " + openAi.body());
            HttpResponse<String> seedForm = postForm(server, "/transcribe", name, audio, "language", "en");
            assertEquals(200, seedForm.statusCode(), name + ": " + seedForm.body());
            assertEquals(11.0, json(seedForm).get("duration").asDouble(), 0.1, name + ": " + seedForm.body());
            HttpResponse<String> seedRaw = postRaw(server, "/transcribe?language=en", audio);
            assertEquals(200, seedRaw.statusCode(), name + ": " + seedRaw.body());
            assertEquals(11.0, json(seedRaw).get("duration").asDouble(), 0.1, name + ": " + seedRaw.body());
        }
    }

    @Test
    void anUnsupportedFormatIs400NamingIt() throws Exception {
        byte[] opus = audio("unsupported.opus");
        for (HttpResponse<String> r : List.of(
                postForm(server, "/v1/audio/transcriptions", "a.opus", opus, "model", "whisper-1"),
                postForm(server, "/transcribe", "a.opus", opus),
                postRaw(server, "/transcribe", opus))) {
            assertEquals(400, r.statusCode(), r.body());
            JsonNode error = json(r).get("error");
            assertEquals("invalid_request_error", error.get("type").asText(), r.body());
            assertEquals("file", error.get("param").asText(), r.body());
            assertTrue(error.get("message").asText().contains("Opus"), r.body());
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        // no Content-Length: the limit (2 MiB here) can only count the bytes as they come. The client sends
        // a little more than the limit and then waits, so the server has read nearly everything when it
        // answers and closes (no reset racing the answer)
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 << 10];
        for (int sent = 0; sent <= (2 << 20); sent += chunk.length) {
            chunks.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes());
            chunks.writeBytes(chunk);
            chunks.writeBytes("\r\n".getBytes());
        }
        for (String path : List.of("/transcribe", "/v1/audio/transcriptions")) {
            String type = path.equals("/transcribe") ? "audio/wav" : "multipart/form-data; boundary=x";
            String answer = exchange(server, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n", chunks.toByteArray());
            assertTrue(answer.startsWith("HTTP/1.1 413"), path + ": " + answer);
            assertTrue(answer.contains("\"too_large\""), path + ": " + answer);
        }
        assertEquals(200, get(server, "/health").statusCode(), "the server survived");
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        String big = "x".repeat(20 << 10); // the limit is 16 KiB
        String answer = exchange(server, "POST /transcribe HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + big
                + "\r\nContent-Length: 0\r\n\r\n", null);
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        assertTrue(answer.contains("\"error\""), answer);
        String justUnder = "x".repeat(12 << 10);
        String fine = exchange(server, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + justUnder
                + "\r\nConnection: close\r\n\r\n", null);
        assertTrue(fine.startsWith("HTTP/1.1 200"), fine);
    }

    @Test
    void healthReadyAndMetrics() throws Exception {
        assertEquals(200, get(server, "/health").statusCode());
        HttpResponse<String> ready = get(server, "/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
        postForm(server, "/v1/audio/transcriptions", jfk(), "model", "whisper-1");
        String m = get(server, "/metrics").body();
        assertTrue(m.contains("whisper_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"200\"}"), m);
        assertTrue(m.contains("whisper_request_duration_seconds_bucket{le=\"+Inf\"}"), m);
        assertTrue(m.contains("whisper_queue_depth 0"), m);
        assertTrue(m.contains("whisper_states 2"), m);
        assertTrue(m.contains("whisper_model_info{model=\"for-tests-ggml-tiny.bin\",type=\"tiny\"} 1"), m);
    }
}
