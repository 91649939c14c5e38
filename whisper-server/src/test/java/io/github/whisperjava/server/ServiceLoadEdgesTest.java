package io.github.whisperjava.server;

import static io.github.whisperjava.server.ServiceFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edges under load, one whisper state: slow clients, departed clients, a saturated model, the
 * request timeout. Long work is 5 minutes of noise (ten encoder windows).
 */
class ServiceLoadEdgesTest {
    static TranscriptionServer server;
    static final byte[] LONG = noiseWav(300);

    @BeforeAll
    static void start() {
        server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String metric(String name) throws Exception {
        return get(server, "/metrics").body().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
    }

    static void awaitIdle(long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (!metric("whisper_states_busy").endsWith(" 0")) {
            assertTrue(System.currentTimeMillis() < end, "the transcription was not cancelled");
            Thread.sleep(50);
        }
    }

    @Test
    void aClientTricklingItsBodyIsCutOffWhileHealthAnswers() throws Exception {
        // a byte every 250 ms: never silent for the 2 s idle timeout, so only the 3 s body deadline can end it
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            OutputStream o = s.getOutputStream();
            o.write(("POST /transcribe HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            long t0 = System.nanoTime();
            AtomicBoolean closedByServer = new AtomicBoolean();
            AtomicInteger healthAnswers = new AtomicInteger();
            List<String> healthFailures = new CopyOnWriteArrayList<>();
            Thread trickler = new Thread(() -> {
                try {
                    while (!closedByServer.get()) {
                        o.write(0);
                        o.flush();
                        // meanwhile the service answers others: the trickle holds no worker it needs
                        int status = get(server, "/health").statusCode();
                        if (status == 200) {
                            healthAnswers.incrementAndGet();
                        } else {
                            healthFailures.add("/health answered " + status);
                        }
                        Thread.sleep(250);
                    }
                } catch (IOException e) {
                    // the server closed the connection under the write: expected
                } catch (Exception e) {
                    healthFailures.add(e.toString());
                }
            }, "trickler");
            trickler.start();
            int first;
            try {
                first = s.getInputStream().read(); // blocks until the server answers or closes
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server never closed the trickling connection (15 s)", e);
            } catch (SocketException e) {
                first = -1; // reset by the server: closed as well
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            closedByServer.set(true);
            trickler.join(10_000);
            assertEquals(-1, first, "the server sent an answer instead of closing the connection");
            assertTrue(seconds >= 2.5, "closed after " + seconds + " s: before the 3 s body deadline, so not by it");
            assertTrue(seconds < 8, "closed after " + seconds + " s: long past the 3 s body deadline");
            assertTrue(healthFailures.isEmpty(), healthFailures.toString());
            assertTrue(healthAnswers.get() >= 3, "/health answered only " + healthAnswers.get() + " times during the trickle");
        }
        assertEquals(200, get(server, "/health").statusCode());
        assertTrue(metric("whisper_states_busy").endsWith(" 0"), "the trickle held a whisper state");
    }

    @Test
    void aClientThatDisconnectsCancelsItsTranscription() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream o = s.getOutputStream();
            o.write(("POST /transcribe?language=en HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: "
                    + LONG.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(LONG);
            o.flush();
            long end = System.currentTimeMillis() + 5000;
            while (metric("whisper_states_busy").endsWith(" 0")) {
                assertTrue(System.currentTimeMillis() < end, "the transcription never started");
                Thread.sleep(20);
            }
        } // closed mid-transcription
        awaitIdle(10_000); // well short of the 300 s it would run; 3 s was too tight beside a busy build
        String m = get(server, "/metrics").body();
        assertTrue(m.contains("route=\"/transcribe\",status=\"499\""), m);
    }

    @Test
    void aSaturatedModelAnswers503WithRetryAfterAndStoppingGivesInFlightWorkItsGrace() throws Exception {
        TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withGrace(Duration.ofSeconds(1)));
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return postRaw(server, "/transcribe?language=en", LONG);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long end = System.currentTimeMillis() + 5000;
        while (get(server, "/metrics").body().contains("whisper_states_busy 0")) {
            assertTrue(System.currentTimeMillis() < end, "the first transcription never started");
            Thread.sleep(20);
        }
        HttpResponse<String> busy = postRaw(server, "/transcribe", jfk());
        assertEquals(503, busy.statusCode(), busy.body());
        assertTrue(busy.headers().firstValue("Retry-After").isPresent());
        long t0 = System.nanoTime();
        server.close(); // what SIGTERM does: the first request had its 1 s of grace, then was cancelled
        HttpResponse<String> cancelled = first.get();
        assertEquals(503, cancelled.statusCode(), cancelled.body());
        assertTrue((System.nanoTime() - t0) / 1e9 < 8, "stopping took longer than the grace period allows");
        assertTrue(server.closedModel(), "the model was not closed");
    }

    @Test
    void aRequestPastItsTimeoutIsCancelledAnd504() throws Exception {
        TranscriptionServer server = ServiceFixture.start(ServiceConfig.defaults().withConcurrency(1)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(3)));
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = postRaw(server, "/transcribe?language=en", LONG);
            assertEquals(504, r.statusCode(), r.body());
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "not cancelled at its timeout");
            assertTrue(get(server, "/metrics").body().contains("whisper_states_busy 0"));
        } finally {
            server.close();
        }
    }
}
