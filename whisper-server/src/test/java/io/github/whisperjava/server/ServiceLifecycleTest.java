package io.github.whisperjava.server;

import static io.github.whisperjava.server.ServiceFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service's life over real HTTP: alive but not ready while the model loads, ready once it is
 * served, alive but not ready while it drains at shutdown, and the model closed however the stop falls
 * (a stop during the load included).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceLifecycleTest {
    static final byte[] TINY_BODY = "RIFF".getBytes(StandardCharsets.US_ASCII);

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Replies.JSON.readTree(r.body());
    }

    static ServiceConfig oneState() {
        return ServiceConfig.defaults().withConcurrency(1);
    }

    @Test
    void readyIs503WhileTheModelLoadsAnd200OnceItIsServed() throws Exception {
        TranscriptionServer server = TranscriptionServer.listen(oneState(), "127.0.0.1", 0);
        try {
            // listening, no model yet: the state ServeCommand is in during Whisper.load
            assertEquals(200, get(server, "/health").statusCode());
            HttpResponse<String> loading = get(server, "/ready");
            assertEquals(503, loading.statusCode(), loading.body());
            assertEquals("loading", json(loading).get("status").asText());
            // a body of a few bytes: all of it has arrived when the server answers without reading it
            HttpResponse<String> early = postRaw(server, "/transcribe", TINY_BODY);
            assertEquals(503, early.statusCode(), early.body());
            assertTrue(early.headers().firstValue("Retry-After").isPresent(), early.headers().toString());
            assertTrue(json(early).get("error").get("message").asText().contains("loading"), early.body());
            assertFalse(server.serving());

            server.serve(Whisper.load(TINY, ModelOptions.defaults().withConcurrency(1)));
            assertTrue(server.serving());
            assertEquals(200, get(server, "/health").statusCode());
            HttpResponse<String> ready = get(server, "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("ready", json(ready).get("status").asText());
            assertEquals("for-tests-ggml-tiny.bin", json(ready).get("model").asText());
        } finally {
            server.close();
        }
        assertTrue(server.closedModel(), "the model was not closed");
    }

    @Test
    void readyIs503AndHealth200WhileInFlightWorkDrains() throws Exception {
        TranscriptionServer server = ServiceFixture.start(oneState().withGrace(Duration.ofSeconds(60)));
        byte[] longAudio = noiseWav(300);
        int port = server.port();
        Thread stopper = new Thread(server::close, "test-stop");
        Thread second = new Thread(server::close, "test-stop-again");
        try (Socket inFlight = new Socket("127.0.0.1", server.port())) {
            OutputStream o = inFlight.getOutputStream();
            o.write(("POST /transcribe?language=en HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: "
                    + longAudio.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(longAudio);
            o.flush();
            awaitMetric(server, "whisper_states_busy 1");

            stopper.start(); // what SIGTERM does; it waits up to the 60 s grace for the request above
            HttpResponse<String> draining = awaitStatus(server, "/ready", 503);
            assertEquals("stopping", json(draining).get("status").asText(), draining.body());
            assertEquals(200, get(server, "/health").statusCode(), "liveness must hold while draining");
            HttpResponse<String> refused = postRaw(server, "/transcribe", TINY_BODY);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
            assertTrue(json(refused).get("error").get("message").asText().contains("stopping"), refused.body());
            assertTrue(stopper.isAlive(), "the stop did not wait for the request in flight");
            // a second SIGTERM: its close() must wait for the first, or the process exits under the drain
            second.start();
            second.join(1_000);
            assertTrue(second.isAlive(), "a second close() returned while the first was still draining");
            assertFalse(server.closedModel(), "the model was closed under a running transcription");
        } // the in-flight client leaves: its transcription is cancelled, and the stop goes on at once
        stopper.join(30_000);
        assertFalse(stopper.isAlive(), "the stop did not finish once nothing was in flight");
        second.join(5_000);
        assertFalse(second.isAlive(), "the second close() did not return after the first");
        assertTrue(server.closedModel(), "the model was not closed");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                "still listening after the stop");
    }

    @Test
    void aStopDuringTheModelLoadClosesTheModelWhenTheLoadEnds() throws Exception {
        // ServeCommand's order: listen, load (SIGTERM arrives here), serve
        TranscriptionServer server = TranscriptionServer.listen(oneState(), "127.0.0.1", 0);
        server.close();
        Whisper whisper = Whisper.load(TINY, ModelOptions.defaults().withConcurrency(1));
        server.serve(whisper);
        assertTrue(whisper.isClosed(), "a model loaded after the stop was left open");
        assertFalse(server.serving());
    }

    static void awaitMetric(TranscriptionServer server, String line) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!get(server, "/metrics").body().lines().anyMatch(line::equals)) {
            assertTrue(System.nanoTime() < end, "never saw " + line);
            Thread.sleep(20);
        }
    }

    /** Polls {@code path} until it answers {@code status}; the drain flips /ready within milliseconds. */
    static HttpResponse<String> awaitStatus(TranscriptionServer server, String path, int status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            HttpResponse<String> r = get(server, path);
            if (r.statusCode() == status) {
                return r;
            }
            assertTrue(System.nanoTime() < end, path + " never answered " + status + ": " + r.body());
            Thread.sleep(5);
        }
    }
}
