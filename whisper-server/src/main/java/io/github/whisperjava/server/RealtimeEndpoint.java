package io.github.whisperjava.server;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The handshake of {@code /v1/realtime}: transcription sessions only ({@code intent=transcription}, or no
 * intent), on a ready service, within the session limit. A refused handshake is answered as the HTTP API
 * answers: the status (400, 503 with Retry-After) and OpenAI's error body, before any session exists.
 * The API key was checked before this ({@link ApiKeyHandler}).
 */
final class RealtimeEndpoint implements WebSocketCreator {
    private final ServiceState state;
    private final LiveLimits limits;
    private final RealtimeSessions sessions;
    private final ScheduledExecutorService timer;

    RealtimeEndpoint(ServiceState state, LiveLimits limits, RealtimeSessions sessions, ScheduledExecutorService timer) {
        this.state = state;
        this.limits = limits;
        this.sessions = sessions;
        this.timer = timer;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) {
        Fields query = Request.extractQueryParameters(req);
        String intent = query.getValue("intent");
        if (intent != null && !intent.equals("transcription")) {
            return refuse(resp, callback, ApiException.badParameter("intent", "this service has transcription sessions only: "
                    + "connect to /v1/realtime?intent=transcription"));
        }
        Transcriber transcriber;
        try {
            transcriber = state.transcriber();
        } catch (ApiException e) {
            return refuse(resp, callback, e);
        }
        if (!sessions.reserve()) {
            return refuse(resp, callback, ApiException.unavailable("the service has " + sessions.max()
                    + " realtime sessions open, its limit; try again later", 5));
        }
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RealtimeSession session = new RealtimeSession(transcriber, limits, sessions, timer, ModelName.of(transcriber.whisper()), tag);
        timer.schedule(session::releaseIfNeverOpened, 10, TimeUnit.SECONDS);
        return session;
    }

    private static Object refuse(ServerUpgradeResponse resp, Callback callback, ApiException e) {
        byte[] body;
        try {
            body = Replies.JSON.writeValueAsBytes(ResponseBodies.error(e));
        } catch (Exception never) {
            throw new IllegalStateException(never);
        }
        resp.setStatus(e.status);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (e.retryAfterSeconds > 0) {
            resp.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds));
        }
        resp.write(true, ByteBuffer.wrap(body), callback);
        return null; // no upgrade: the answer above is the handshake's
    }
}
