package io.github.whisperjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.realtime.RealtimeServerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A Realtime client on the JDK's WebSocket: it sends client events and keeps every server event it
 * receives, in order, each checked against OpenAI's SDK's model of the GA server events (a shape nobody
 * here wrote).
 */
final class RealtimeClient implements WebSocket.Listener, AutoCloseable {
    /** A server event and when it arrived. */
    record Event(JsonNode json, long nanos) {
        String type() {
            return json.path("type").asText();
        }
    }

    private final List<Event> events = new ArrayList<>(); // guarded by this
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final List<String> invalid = new ArrayList<>(); // guarded by this
    private volatile WebSocket ws;

    static RealtimeClient connect(TranscriptionServer server, String authorization) throws Exception {
        RealtimeClient c = new RealtimeClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/realtime?intent=transcription"), c)
                .get(20, TimeUnit.SECONDS);
        return c;
    }

    static RealtimeClient connect(TranscriptionServer server) throws Exception {
        return connect(server, null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode json = Replies.JSON.readTree(text);
                try {
                    ObjectMappers.jsonMapper().readValue(text, RealtimeServerEvent.class).validate();
                } catch (Exception e) {
                    synchronized (this) {
                        invalid.add(text + ": " + e);
                    }
                }
                synchronized (this) {
                    events.add(new Event(json, System.nanoTime()));
                    notifyAll();
                }
            } catch (Exception e) {
                synchronized (this) {
                    invalid.add(text + ": not JSON");
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        synchronized (this) {
            notifyAll();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
        synchronized (this) {
            notifyAll();
        }
    }

    void send(String json) {
        ws.sendText(json, true).join();
    }

    /** 16-bit little-endian mono as one {@code input_audio_buffer.append}. */
    void append(short[] pcm, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(2 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            b.putShort(pcm[i]);
        }
        send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(b.array()) + "\"}");
    }

    /** Waits for the first event after index {@code from} that matches; its index. */
    synchronized int await(int from, Predicate<Event> match, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        for (int i = from; ; ) {
            for (; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return i;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching event in " + limit + "; got " + types());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    int await(String type, Duration limit) throws Exception {
        return await(0, e -> e.type().equals(type), limit);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> types() {
        return events.stream().map(Event::type).toList();
    }

    /** Server events OpenAI's SDK could not read as its own. */
    synchronized List<String> invalid() {
        return List.copyOf(invalid);
    }

    /** The close code the server sent (-1: the connection failed), waiting at most {@code limit}. */
    int closeCode(Duration limit) throws Exception {
        return closed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the connection without a close frame, as a client that crashes does. */
    void vanish() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }
}
