package io.github.whisperjava.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads a transcription request's body before any servlet sees it, without holding a thread while the
 * client sends it: bytes are taken as Jetty says they are there and written to a {@link BodySpool};
 * only a whole body (or its failure) is handed on, replayed from the spool. A client trickling a byte a
 * second therefore holds a connection and a few bytes, never one of the threads that answer
 * {@code /health} or run transcriptions; at the body deadline its connection is closed.
 *
 * <p>The servlet finds the spool under {@link #SPOOL}; it is deleted when the exchange completes.
 */
final class BodySpoolingHandler extends Handler.Wrapper {
    /** The request attribute that holds the body's {@link BodySpool}. */
    static final String SPOOL = BodySpool.class.getName();

    private final SpoolSpace space;
    private final Duration bodyTimeout;
    private final ScheduledExecutorService timer;
    private final ServiceMetrics metrics;

    BodySpoolingHandler(Handler next, SpoolSpace space, Duration bodyTimeout, ScheduledExecutorService timer,
            ServiceMetrics metrics) {
        super(next);
        this.space = space;
        this.bodyTimeout = bodyTimeout;
        this.timer = timer;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!HttpMethod.POST.is(request.getMethod()) || !(path.equals("/transcribe") || path.startsWith("/v1/audio/"))) {
            return super.handle(request, response, callback);
        }
        new Reader(request, response, callback, path).start();
        return true;
    }

    /** One body on its way in: demand, read what is there, write it to the spool, demand again. */
    private final class Reader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final String path;
        private final BodySpool spool = space.newSpool();
        private final long start = System.nanoTime();
        private ScheduledFuture<?> deadline;
        private volatile boolean expired;

        Reader(Request request, Response response, Callback callback, String path) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.path = path;
        }

        void start() {
            deadline = timer.schedule(this::expire, bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            run();
        }

        /** However slowly it trickles: the idle timeout never sees a client that sends a byte a second. */
        private void expire() {
            expired = true;
            request.getConnectionMetaData().getConnection().getEndPoint().close();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        failed(chunk.getFailure());
                        return;
                    }
                    try {
                        spool.write(chunk.getByteBuffer());
                    } finally {
                        chunk.release();
                    }
                    if (chunk.isLast()) {
                        deadline.cancel(false);
                        handOn(null);
                        return;
                    }
                }
            } catch (Throwable t) {
                failed(t);
            }
        }

        private void failed(Throwable failure) {
            deadline.cancel(false);
            if (expired || !request.getConnectionMetaData().getConnection().getEndPoint().isOpen()) {
                // nobody is left to answer: counted as the request's end, the exchange failed
                spool.close();
                metrics.record(route(), expired ? 408 : TranscriptionEndpoint.CLIENT_CLOSED, System.nanoTime() - start);
                // quiet: Jetty would log a stack trace for an error answer it cannot send on a closed connection
                callback.failed(new QuietException.Exception("the request body did not arrive whole", failure));
                return;
            }
            handOn(failure); // the servlet answers it (a body over the size limit is its 413; a full spool its 503)
        }

        private void handOn(Throwable failure) {
            Request replay = new SpooledRequest(request, spool, failure);
            replay.setAttribute(SPOOL, spool);
            Callback done = Callback.from(() -> {
                spool.close();
                callback.succeeded();
            }, x -> {
                spool.close();
                callback.failed(x);
            });
            try {
                if (!getHandler().handle(replay, response, done)) {
                    Response.writeError(replay, response, done, 404);
                }
            } catch (Throwable t) {
                done.failed(t);
            }
        }

        private String route() {
            return path.equals("/transcribe") || path.equals("/v1/audio/transcriptions")
                    || path.equals("/v1/audio/translations") ? path : "other";
        }
    }

    /** The request as the servlet sees it: its body, whole, from the spool (or the failure that ended it). */
    private static final class SpooledRequest extends Request.Wrapper {
        private final BodySpool spool;
        private final Throwable failure;
        private InputStream in;
        private boolean eof;

        SpooledRequest(Request request, BodySpool spool, Throwable failure) {
            super(request);
            this.spool = spool;
            this.failure = failure;
        }

        @Override
        public synchronized Content.Chunk read() {
            if (failure != null) {
                return Content.Chunk.from(failure, true);
            }
            if (eof) {
                return Content.Chunk.EOF;
            }
            try {
                if (in == null) {
                    in = spool.open();
                }
                byte[] buf = new byte[64 << 10];
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    in.close();
                    return Content.Chunk.EOF;
                }
                return Content.Chunk.from(ByteBuffer.wrap(buf, 0, n), false);
            } catch (IOException e) {
                return Content.Chunk.from(e, true);
            }
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run(); // the whole body is here: there is always something to read
        }

        @Override
        public synchronized boolean consumeAvailable() {
            eof = true;
            return true;
        }
    }
}
