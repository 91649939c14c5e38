package io.github.whisperjava.examples.service;

import io.github.whisperjava.Transcript;
import io.github.whisperjava.output.OutputContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpException;

/**
 * One request's way through the service, the same for both APIs: read the body (within the body
 * deadline), check the fields, fetch audio_url if named, transcribe (cancelled when the client leaves or
 * the deadline passes), answer in the asked-for format, count it. Subclasses say how their API reads a
 * request.
 */
abstract class TranscriptionEndpoint extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Nginx's code for "the client closed the connection": counted, never sent. */
    static final int CLIENT_CLOSED = 499;

    private final transient Dependencies deps;

    /** What every endpoint shares. */
    record Dependencies(ServiceState state, ServiceConfig config, AudioUrlFetcher fetcher, ServiceMetrics metrics,
            ScheduledExecutorService timer) {}

    TranscriptionEndpoint(Dependencies deps) {
        this.deps = deps;
    }

    /** The request's audio (or audio_url) and fields. */
    abstract Upload read(HttpServletRequest req) throws IOException;

    /** The checked options; {@code upload.fields()} as this API names them. */
    abstract TranscriptionOptions options(HttpServletRequest req, RequestFields fields);

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        long deadline = start + deps.config().requestTimeout().toNanos();
        Cancellation cancellation = new Cancellation();
        int status;
        deps.state().enter(); // a stop waits for this request (its grace period) before it closes the listener
        try (ClientWatch watch = ClientWatch.on(req, cancellation)) {
            status = answer(req, resp, cancellation, watch, deadline);
        } finally {
            deps.state().leave();
        }
        deps.metrics().record(route(req), status, System.nanoTime() - start);
    }

    /** The route for the metrics: a known path, or "other" (a client must not mint label values). */
    private static String route(HttpServletRequest req) {
        String uri = req.getRequestURI();
        return uri.equals("/transcribe") || uri.equals("/v1/audio/transcriptions") || uri.equals("/v1/audio/translations")
                ? uri : "other";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiException e = ApiException.methodNotAllowed(req.getRequestURI() + " takes POST");
        Replies.error(resp, e);
        deps.metrics().record(route(req), e.status, 0);
    }

    /**
     * Jetty's size limit, met while the body was read: a body without Content-Length (chunked) is counted
     * as it comes, and the read fails with Jetty's 413 once it passes the limit. Answered as this service's
     * 413; null for any other failure.
     */
    private ApiException bodyOverLimit(Throwable e) {
        for (Throwable c = e; c != null && !(c instanceof ApiException); c = c.getCause()) {
            if (c instanceof HttpException h && h.getCode() == 413) {
                return ApiException.tooLarge("file", "the request body is larger than this service takes ("
                        + deps.config().maxBodyBytes() + " bytes)");
            }
        }
        return null;
    }

    private int answer(HttpServletRequest req, HttpServletResponse resp, Cancellation cancellation, ClientWatch watch,
            long deadline) throws IOException {
        BodyDeadline bodyDeadline = null;
        try {
            Transcriber transcriber = deps.state().transcriber();
            long declared = req.getContentLengthLong();
            if (declared > deps.config().maxBodyBytes()) {
                throw ApiException.tooLarge("file", "the request body is " + declared + " bytes; this service takes at most "
                        + deps.config().maxBodyBytes() + " bytes");
            }
            Upload upload;
            bodyDeadline = BodyDeadline.arm(req, deps.config().bodyTimeout(), deps.timer());
            try {
                upload = read(req);
            } catch (IOException | RuntimeException e) {
                if (e instanceof IOException && bodyDeadline.expired()) {
                    return 408; // the connection is closed: there is no one to answer
                }
                ApiException limit = bodyOverLimit(e);
                if (limit != null) {
                    throw limit;
                }
                throw e;
            } finally {
                bodyDeadline.close();
            }
            watch.bodyRead(deps.timer());
            TranscriptionOptions options = options(req, upload.fields());
            byte[] audio = upload.audio();
            String url = upload.fields().text("audio_url", null);
            if (audio != null && url != null) {
                throw ApiException.badParameter("audio_url", "send a file or an audio_url, not both");
            }
            if (audio == null) {
                if (url == null) {
                    throw ApiException.badParameter("file", "no audio: upload a file or name an audio_url");
                }
                audio = deps.fetcher().fetch(url);
            }
            Transcript t;
            try {
                t = transcriber.transcribe(audio, options, cancellation, deadline);
            } finally {
                watch.answering(resp);
            }
            String model = ModelName.of(transcriber.whisper());
            ResponseBodies.Body body = ResponseBodies.of(t, options,
                    OutputContext.of(transcriber.whisper(), options.params()), model);
            resp.setHeader("X-Whisper-Model", model);
            // what the encoder ran on, so a client (or an operator's proxy logs) can see what fit_window did
            resp.setHeader("X-Whisper-Encoder-Positions", Integer.toString(t.encoderPositions()));
            if (t.fellBackToFullWindow()) {
                resp.setHeader("X-Whisper-Window-Fallback", Replies.headerValue(t.windowFallback()));
            }
            if (body.json() != null) {
                Replies.json(resp, 200, body.json());
            } else {
                Replies.text(resp, 200, body.contentType(), body.text());
            }
            return 200;
        } catch (ApiException e) {
            Replies.error(resp, e);
            return e.status;
        } catch (Transcriber.ClientGoneException e) {
            return CLIENT_CLOSED;
        } catch (IOException e) {
            if (cancellation.reason() == Cancellation.Reason.CLIENT_GONE) {
                return CLIENT_CLOSED;
            }
            ApiException bad = ApiException.badParameter(null, "cannot read the request: " + e.getMessage());
            Replies.error(resp, bad);
            return bad.status;
        } catch (RuntimeException e) {
            getServletContext().log("request failed", e);
            ApiException internal = ApiException.internal(String.valueOf(e.getMessage()));
            Replies.error(resp, internal);
            return internal.status;
        }
    }
}
