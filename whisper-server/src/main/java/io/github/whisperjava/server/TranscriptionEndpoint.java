package io.github.whisperjava.server;

import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.output.OutputContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
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
            ScheduledExecutorService timer, SpoolSpace spool) {}

    TranscriptionEndpoint(Dependencies deps) {
        this.deps = deps;
    }

    /** The request's audio (or audio_url) and fields. */
    abstract Upload read(HttpServletRequest req) throws IOException;

    /** The request's Content-Type in lower case ("" when it has none), as both endpoints tell bodies apart by it. */
    static String contentType(HttpServletRequest req) {
        return req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
    }

    /** Where a request's audio waits (an upload's file part, an audio_url download). */
    SpoolSpace spool() {
        return deps.spool();
    }

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
     * What ended the body's arrival, met while the spooled body is read: Jetty's size limit (a body
     * without Content-Length is counted as it comes and fails with Jetty's 413 once it passes the limit),
     * answered as this service's 413; the spool's own refusal (503, the service's spool space is full);
     * null for any other failure.
     */
    private ApiException bodyFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ApiException api) {
                return api;
            }
            if (c instanceof HttpException h && h.getCode() == 413) {
                return ApiException.tooLarge("file", "the request body is larger than this service takes ("
                        + deps.config().maxBodyBytes() + " bytes)");
            }
        }
        return null;
    }

    private int answer(HttpServletRequest req, HttpServletResponse resp, Cancellation cancellation, ClientWatch watch,
            long deadline) throws IOException {
        Upload upload = null;
        TranscriptEventStream events = null;
        try {
            Transcriber transcriber = deps.state().transcriber();
            long declared = req.getContentLengthLong();
            if (declared > deps.config().maxBodyBytes()) {
                throw ApiException.tooLarge("file", "the request body is " + declared + " bytes; this service takes at most "
                        + deps.config().maxBodyBytes() + " bytes");
            }
            // the body has arrived whole (BodySpoolingHandler): reading it here never waits for the client
            try {
                upload = read(req);
            } catch (IOException | RuntimeException e) {
                ApiException failure = bodyFailure(e);
                if (failure != null) {
                    throw failure;
                }
                throw e;
            }
            watch.bodyRead(deps.timer());
            TranscriptionOptions options = options(req, upload.fields());
            TranscribeParams params = options.params(transcriber); // refuses what it can before queueing
            String url = upload.fields().text("audio_url", null);
            if (upload.audio() != null && url != null) {
                throw ApiException.badParameter("audio_url", "send a file or an audio_url, not both");
            }
            if (upload.audio() == null && url == null) {
                throw ApiException.badParameter("file", "no audio: upload a file or name an audio_url");
            }
            Transcript t;
            events = options.stream() ? new TranscriptEventStream(resp, cancellation) : null;
            try (Transcriber.Admission admission = transcriber.admit()) {
                BodySpool audio = upload.audio() != null ? upload.audio() : upload.keep(deps.fetcher().fetch(url, deps.spool()));
                t = transcriber.transcribe(audio, options, cancellation, deadline, events);
            } finally {
                watch.answering(resp);
            }
            if (events != null) {
                events.done(t);
                return 200;
            }
            String model = ModelName.of(transcriber.whisper());
            ResponseBodies.Body body = ResponseBodies.of(t, options,
                    OutputContext.of(transcriber.whisper(), params), model);
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
            if (events != null && events.started()) {
                events.error(e); // the 200 is out: the failure can only be the stream's last event
            } else {
                Replies.error(resp, e);
            }
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
            if (events != null && events.started()) {
                events.error(internal);
            } else {
                Replies.error(resp, internal);
            }
            return internal.status;
        } finally {
            if (upload != null) {
                upload.close();
            }
        }
    }
}
