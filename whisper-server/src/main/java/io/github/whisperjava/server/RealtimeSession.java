package io.github.whisperjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.whisperjava.LiveTranscription;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/realtime?intent=transcription} connection: the client's events ({@code session.update},
 * {@code input_audio_buffer.append}, {@code .commit}, {@code .clear}) drive a {@link LiveTranscription}
 * on the served model, whose events go back through {@link RealtimeEvents}. The live transcription is
 * made at the first audio, with the settings of that moment; a later {@code session.update} that would
 * change them is refused (an error event), since an utterance cannot change its model settings midway.
 *
 * <p>However the connection ends (the client closes or vanishes, the idle timeout, a message too large),
 * the live transcription is aborted at once: its decode cancelled, its whisper state and audio freed, its
 * place among the sessions given back.
 */
public final class RealtimeSession implements Session.Listener.AutoDemanding { // public: Jetty calls it through method handles
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeSession.class);

    private final Transcriber transcriber;
    private final LiveLimits limits;
    private final RealtimeSessions sessions;
    private final ScheduledExecutorService timer;
    private final String model;
    private final RealtimeEvents events;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object sending = new Object();
    private final Object lock = new Object();
    private volatile Session ws;
    private RealtimeSettings settings; // guarded by lock
    private LiveTranscription live; // guarded by lock
    private boolean finishing; // guarded by lock
    private boolean toldFinishing; // guarded by lock
    private volatile ScheduledFuture<?> expiry;

    RealtimeSession(Transcriber transcriber, LiveLimits limits, RealtimeSessions sessions, ScheduledExecutorService timer,
            String model, String tag) {
        this.transcriber = transcriber;
        this.limits = limits;
        this.sessions = sessions;
        this.timer = timer;
        this.model = model;
        this.events = new RealtimeEvents(tag, this::send);
        this.settings = RealtimeSettings.initial(transcriber.hasVad());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        ws = session;
        if (ended.get()) { // its place was given back as never opened: too late to serve it
            session.close(StatusCode.TRY_AGAIN_LATER, "the handshake took too long", Callback.NOOP);
            return;
        }
        sessions.opened(this);
        expiry = timer.schedule(() -> new Thread(this::expire, "realtime-expiry").start(),
                limits.maxSession().toMillis(), TimeUnit.MILLISECONDS);
        RealtimeSettings s;
        synchronized (lock) {
            s = settings;
        }
        events.session(true, s, model);
    }

    @Override
    public void onWebSocketText(String message) {
        JsonNode event;
        try {
            event = Replies.JSON.readTree(message);
        } catch (Exception e) {
            events.error(ApiException.badParameter(null, "a client event must be a JSON object: " + e.getMessage()), null,
                    "invalid_json");
            return;
        }
        String id = event.path("event_id").isTextual() ? event.get("event_id").asText() : null;
        try {
            handle(event.path("type").asText(""), event, id);
        } catch (ApiException e) {
            events.error(e, id, null);
        }
    }

    private void handle(String type, JsonNode event, String id) {
        switch (type) {
            case "session.update" -> update(event.get("session"));
            case "input_audio_buffer.append" -> append(event.get("audio"));
            case "input_audio_buffer.commit" -> {
                LiveTranscription l = liveOrNull(false); // before any audio there is nothing to commit
                if (l != null) {
                    l.commit();
                }
            }
            case "input_audio_buffer.clear" -> {
                LiveTranscription l = liveOrNull(false);
                if (l != null) {
                    l.clear();
                }
                events.cleared();
            }
            case "transcription_session.update" -> throw ApiException.badParameter("type",
                    "this service speaks the GA Realtime protocol: send session.update with session.type \"transcription\"");
            default -> throw ApiException.badParameter("type", "a transcription session takes session.update and "
                    + "input_audio_buffer.append, .commit and .clear, not \"" + type + "\"");
        }
    }

    private void update(JsonNode session) {
        RealtimeSettings next;
        synchronized (lock) {
            next = settings.update(session);
            if (live != null && !next.equals(settings)) {
                throw ApiException.badParameter("session", "the session's audio settings are fixed once audio has been "
                        + "appended; open a new session to change them");
            }
            if (next.vad() != null) {
                transcriber.vad(next.vad().threshold()); // refuses server_vad now when this service has no VAD model
            }
            settings = next;
        }
        events.session(false, next, model);
    }

    private void append(JsonNode audio) {
        if (audio == null || !audio.isTextual()) {
            throw ApiException.badParameter("audio", "input_audio_buffer.append needs audio: base64 pcm16");
        }
        byte[] pcm;
        try {
            pcm = Base64.getDecoder().decode(audio.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("audio", "audio is not base64: " + e.getMessage());
        }
        if (pcm.length % 2 != 0) {
            throw ApiException.badParameter("audio", "pcm16 audio has an even number of bytes, got " + pcm.length);
        }
        LiveTranscription l = liveOrNull(true);
        if (l != null) {
            l.acceptPcm16(pcm, 0, pcm.length);
        }
    }

    /**
     * The live transcription, made now if {@code create} and there is none; null while the session
     * finishes (its audio is no longer taken; the client is told once).
     */
    private LiveTranscription liveOrNull(boolean create) {
        synchronized (lock) {
            if (finishing) {
                if (!toldFinishing) {
                    toldFinishing = true;
                    events.error(ApiException.unavailable("the session is closing; audio from now on is not transcribed", 5),
                            null, "session_closing");
                }
                return null;
            }
            if (live == null && create) {
                try {
                    live = transcriber.whisper().live(settings.liveOptions(transcriber, limits), events);
                } catch (IllegalStateException e) {
                    throw ApiException.unavailable("the service is stopping", 5);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badParameter("session", e.getMessage());
                }
            }
            return live;
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        events.error(ApiException.badParameter(null, "send client events as JSON text messages; audio goes base64 in "
                + "input_audio_buffer.append"), null, "binary_not_supported");
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("realtime session failed: {}", cause.toString());
        end();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        end();
        callback.succeed();
    }

    /**
     * Gives the place back if the upgrade never completed (Jetty failed it after the handshake was
     * accepted): no open or close event will ever come for this session.
     */
    void releaseIfNeverOpened() {
        if (ws == null && !ended.getAndSet(true)) {
            sessions.unreserve();
        }
    }

    /** The connection is gone: stop now, free everything. */
    private void end() {
        if (!ended.getAndSet(true)) {
            abort();
            ScheduledFuture<?> e = expiry;
            if (e != null) {
                e.cancel(false);
            }
            sessions.ended(this);
        }
    }

    /** Stops the live transcription at once: no more events, its decode cancelled and its state freed. */
    void abort() {
        LiveTranscription l;
        synchronized (lock) {
            finishing = true;
            l = live;
        }
        if (l != null) {
            l.abort();
        }
    }

    /** The service stops: the current utterance is finished and sent within {@code grace}, then a close frame. */
    void finish(Duration grace) {
        finish(grace, StatusCode.SHUTDOWN, "the service is stopping", null);
    }

    private void expire() {
        finish(Duration.ofSeconds(30), StatusCode.NORMAL, "session length limit",
                ApiException.badParameter(null, "the session reached this service's limit of "
                        + limits.maxSession().toMinutes() + " min; open a new one"));
    }

    private void finish(Duration grace, int code, String reason, ApiException tell) {
        LiveTranscription l;
        synchronized (lock) {
            finishing = true;
            toldFinishing = tell == null; // at a stop the close frame says it; at expiry the error event does
            l = live;
        }
        if (l != null && !l.closeWithin(grace)) {
            LOG.info("a realtime session's last utterance did not finish within {} s: aborted", grace.toSeconds());
        }
        if (tell != null) {
            events.error(tell, null, "session_expired");
        }
        Session s = ws;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /** Writes one event; a client that cannot take it (gone, or too far behind) ends the session. */
    private void send(Map<String, Object> event) {
        Session s = ws;
        if (s == null || !s.isOpen()) {
            return;
        }
        String text;
        try {
            text = Replies.JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException("an event is plain maps and strings", e);
        }
        // in order from every thread (the client's messages, the live worker, a stop): one sender at a time
        synchronized (sending) {
            s.sendText(text, Callback.from(() -> {}, failure -> {
                LOG.debug("realtime send failed: {}", failure.toString());
                s.disconnect();
                end();
            }));
        }
    }
}
