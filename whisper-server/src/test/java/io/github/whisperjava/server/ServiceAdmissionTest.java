package io.github.whisperjava.server;

import static io.github.whisperjava.server.ServiceFixture.get;
import static io.github.whisperjava.server.ServiceFixture.jfk;
import static io.github.whisperjava.server.ServiceFixture.noiseWav;
import static io.github.whisperjava.server.ServiceFixture.postRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who gets in, and when: a bounded queue (503 at once past it), a request refused for its fields before
 * it waits for a state, a queued request refused as soon as the service stops (not run during the
 * drain), and the upload forms a client can send.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceAdmissionTest {
    private static final byte[] LONG = noiseWav(300);

    private static CompletableFuture<HttpResponse<String>> postAsync(TranscriptionServer s, String path, byte[] body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return postRaw(s, path, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitMetric(TranscriptionServer s, String line) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (!get(s, "/metrics").body().contains(line)) {
            assertTrue(System.currentTimeMillis() < end, "metrics never showed " + line + ":\n" + get(s, "/metrics").body());
            Thread.sleep(20);
        }
    }

    @Test
    void pastTheQueueARequestIs503AtOnceAndAFieldErrorDoesNotWaitForAState() throws Exception {
        try (TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1).withQueue(1)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30))
                .withGrace(Duration.ofMillis(100)))) {
            CompletableFuture<HttpResponse<String>> running = postAsync(server, "/transcribe?language=en", LONG);
            awaitMetric(server, "whisper_states_busy 1");
            CompletableFuture<HttpResponse<String>> queued = postAsync(server, "/transcribe?language=en", jfk());
            awaitMetric(server, "whisper_queue_depth 1");

            long t0 = System.nanoTime();
            HttpResponse<String> full = postRaw(server, "/transcribe", jfk());
            assertEquals(503, full.statusCode(), full.body());
            assertTrue(full.body().contains("running or waiting"), full.body());
            assertTrue(full.headers().firstValue("Retry-After").isPresent(), full.headers().toString());
            // an unknown language is the client's error, told before it would wait 30 s for the state
            HttpResponse<String> unknown = postRaw(server, "/transcribe?language=qq", jfk());
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("\"param\":\"language\""), unknown.body());
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refusals waited for the queue");
            assertTrue(!running.isDone() && !queued.isDone());
        }
    }

    @Test
    void aStopRefusesQueuedRequestsAtOnceAndGivesTheRunningOneItsGrace() throws Exception {
        TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30))
                .withGrace(Duration.ofSeconds(20)));
        byte[] twentySeconds = noiseWav(20);
        CompletableFuture<HttpResponse<String>> running = postAsync(server, "/transcribe?language=en", twentySeconds);
        awaitMetric(server, "whisper_states_busy 1");
        CompletableFuture<HttpResponse<String>> queued = postAsync(server, "/transcribe?language=en", jfk());
        awaitMetric(server, "whisper_queue_depth 1");

        CompletableFuture<Void> stop = CompletableFuture.runAsync(server::close);
        HttpResponse<String> refused = queued.get(5, TimeUnit.SECONDS); // not when the running one ends
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the service is stopping"), refused.body());
        HttpResponse<String> finished = running.get(60, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body()); // inside its grace: it ran to the end
        stop.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aMultipartFileWithoutAFilenameIsTheAudio() throws Exception {
        // curl -F 'file=<jfk.wav' sends the file as a plain form field: 352 kB, over Jetty's form limit
        try (TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1))) {
            String boundary = "no-filename";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n").getBytes();
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
            HttpResponse<String> r = ServiceFixture.HTTP.send(HttpRequest.newBuilder(
                    URI.create(ServiceFixture.url(server, "/v1/audio/transcriptions")))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofByteArray(jfk()), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @Test
    void vadOffIsTheClientsAnswerNotADownload() throws Exception {
        ServiceConfig noVad = ServiceConfig.defaults().withConcurrency(1);
        noVad = new ServiceConfig(noVad.maxBodyBytes(), noVad.maxAudio(), noVad.requestTimeout(), noVad.queueTimeout(),
                noVad.idleTimeout(), noVad.bodyTimeout(), noVad.grace(), noVad.maxHeaderBytes(), 1, 4,
                noVad.audioMemoryBytes(), false, noVad.fetch(), noVad.live());
        try (TranscriptionServer server = ServiceFixture.start(noVad)) {
            HttpResponse<String> r = postRaw(server, "/transcribe?vad=true", jfk());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"param\":\"vad\"") && r.body().contains("--no-vad"), r.body());
        }
    }
}
