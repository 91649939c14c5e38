package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.audio.AudioDecoder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Realtime endpoint's limits on a real server: sessions at once (the one past the limit refused in
 * OpenAI's error shape), the API key, idle time, message size, session length, and a stop that lets a
 * session finish its utterance before the close frame.
 */
class ServiceRealtimeLimitsTest {
    static final Duration WAIT = Duration.ofSeconds(180);
    static short[] jfk24k;

    @BeforeAll
    static void audio() {
        jfk24k = ServiceRealtimeTest.resample(AudioDecoder.decode16kMono(ServiceFixture.SHARED.resolve("audio/jfk.wav")),
                ServiceRealtimeTest.RATE);
    }

    static TranscriptionServer start(LiveLimits live, ApiKey key, Duration grace) {
        ServiceConfig config = ServiceConfig.defaults().withConcurrency(2).withGrace(grace).withLive(live);
        Whisper w = Whisper.load(ServiceFixture.TINY, ModelOptions.defaults().withConcurrency(2));
        return TranscriptionServer.listen(config, "127.0.0.1", 0, key).serve(w);
    }

    static LiveLimits limits() {
        return LiveLimits.defaults(2);
    }

    static short[] silence(double seconds) {
        return new short[(int) (seconds * ServiceRealtimeTest.RATE)];
    }

    static void sendAll(RealtimeClient c, short[] pcm) {
        int chunk = ServiceRealtimeTest.RATE / 10;
        for (int i = 0; i < pcm.length; i += chunk) {
            c.append(pcm, i, Math.min(pcm.length, i + chunk));
        }
    }

    /** The handshake's answer, read off a raw socket: status line, headers and the body its Content-Length gives. */
    static String rawHandshake(TranscriptionServer s, String extraHeaders) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/realtime?intent=transcription HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int length = -1;
            int headEnd = -1;
            while (headEnd < 0 || got.size() < headEnd + length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
                String soFar = got.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && soFar.endsWith("\r\n\r\n")) {
                    headEnd = soFar.length();
                    Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(soFar);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    static int refusedStatus(TranscriptionServer s, String authorization) throws Exception {
        try {
            RealtimeClient.connect(s, authorization).close();
            return 101;
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void twentySessionsAtOnceAndTheTwentyFirstRefused() throws Exception {
        try (TranscriptionServer server = start(limits().withMaxSessions(20), ApiKey.none(), Duration.ofSeconds(30))) {
            List<RealtimeClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    clients.add(RealtimeClient.connect(server));
                }
                for (RealtimeClient c : clients) {
                    c.await("session.created", WAIT);
                }
                assertEquals(20, server.realtimeSessions());
                assertTrue(ServiceFixture.get(server, "/metrics").body().contains("whisper_realtime_sessions 20"));
                assertEquals(503, refusedStatus(server, null));
                String refused = rawHandshake(server, "");
                assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
                assertTrue(refused.contains("Retry-After"), refused);
                JsonNode error = Replies.JSON.readTree(refused.substring(refused.indexOf("\r\n\r\n") + 4)).get("error");
                assertEquals("server_error", error.get("type").asText(), refused);
                assertTrue(error.get("message").asText().contains("20 realtime sessions"), refused);

                ExecutorService senders = Executors.newFixedThreadPool(20);
                List<Future<?>> done = new ArrayList<>();
                for (RealtimeClient c : clients) {
                    done.add(senders.submit(() -> {
                        sendAll(c, silence(0.5));
                        sendAll(c, jfk24k);
                        sendAll(c, silence(1.5));
                        c.send("{\"type\":\"input_audio_buffer.commit\"}");
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                senders.shutdown();
                for (RealtimeClient c : clients) {
                    // every committed item completes, in order, and nothing went wrong
                    c.await(0, e -> {
                        List<String> t = c.types();
                        long committed = t.stream().filter("input_audio_buffer.committed"::equals).count();
                        long completed = t.stream().filter("conversation.item.input_audio_transcription.completed"::equals).count();
                        return committed >= 1 && completed == committed;
                    }, WAIT);
                    assertTrue(c.invalid().isEmpty(), c.invalid().toString());
                    assertTrue(!c.types().contains("error"), c.types().toString());
                }
            } finally {
                clients.forEach(RealtimeClient::close);
            }
            long end = System.nanoTime() + 5_000_000_000L;
            while (server.realtimeSessions() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(0, server.realtimeSessions());
        }
    }

    @Test
    void theApiKeyIsCheckedAtTheHandshake() throws Exception {
        try (TranscriptionServer server = start(limits(), ApiKey.of("s3cret"), Duration.ofSeconds(5))) {
            assertEquals(401, refusedStatus(server, null));
            assertEquals(401, refusedStatus(server, "Bearer wrong"));
            String raw = rawHandshake(server, "");
            assertTrue(raw.contains("\"code\":\"invalid_api_key\""), raw);
            try (RealtimeClient c = RealtimeClient.connect(server, "Bearer s3cret")) {
                c.await("session.created", WAIT);
            }
        }
    }

    @Test
    void idleSessionsTooLargeMessagesAndLongSessionsAreClosed() throws Exception {
        LiveLimits l = limits().withIdleTimeout(Duration.ofSeconds(1)).withMaxMessageBytes(4096)
                .withMaxSession(Duration.ofSeconds(3));
        try (TranscriptionServer server = start(l, ApiKey.none(), Duration.ofSeconds(5))) {
            RealtimeClient idle = RealtimeClient.connect(server);
            idle.await("session.created", WAIT);
            long start = System.nanoTime();
            int code = idle.closeCode(Duration.ofSeconds(10));
            assertEquals(1001, code, "closed for idling");
            assertTrue(System.nanoTime() - start < 5_000_000_000L);

            RealtimeClient large = RealtimeClient.connect(server);
            large.await("session.created", WAIT);
            large.append(silence(0.2), 0, 4_800); // 9.6 KB base64: over 4 KiB
            assertEquals(1009, large.closeCode(Duration.ofSeconds(10)));

            RealtimeClient longOne = RealtimeClient.connect(server);
            longOne.await("session.created", WAIT);
            // kept busy (never idle) until the session length ends it
            short[] tick = silence(0.05);
            while (!longOne.isClosed() && System.nanoTime() - start < 30_000_000_000L) {
                try {
                    longOne.append(tick, 0, tick.length);
                } catch (CompletionException e) {
                    break; // closed under us
                }
                Thread.sleep(200);
            }
            assertEquals(1000, longOne.closeCode(Duration.ofSeconds(10)));
            int expired = longOne.await("error", Duration.ofSeconds(1));
            assertEquals("session_expired", longOne.events().get(expired).json().at("/error/code").asText());

            long end = System.nanoTime() + 5_000_000_000L;
            while (server.realtimeSessions() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(0, server.realtimeSessions());
        }
    }

    @Test
    void aStopLetsTheUtteranceFinishThenClosesWithACloseFrame() throws Exception {
        TranscriptionServer server = start(limits(), ApiKey.none(), Duration.ofSeconds(20));
        RealtimeClient c = RealtimeClient.connect(server);
        c.await("session.created", WAIT);
        sendAll(c, silence(1));
        sendAll(c, Arrays.copyOf(jfk24k, 8 * ServiceRealtimeTest.RATE)); // cut mid-speech: still open at the stop
        c.await("input_audio_buffer.speech_started", WAIT);
        Thread stopper = new Thread(server::close);
        stopper.start();
        assertEquals(1001, c.closeCode(WAIT), c.types().toString());
        List<String> types = c.types();
        int completed = types.lastIndexOf("conversation.item.input_audio_transcription.completed");
        assertTrue(completed > types.lastIndexOf("input_audio_buffer.speech_started"), "the utterance finished first: " + types);
        stopper.join(60_000);
        assertTrue(!stopper.isAlive());
        assertEquals(0, server.realtimeSessions());
    }
}
