package io.github.whisperjava.server;

import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.ModelResolver;
import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SizeLimitHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcription service on Jetty: routes, limits and a graceful stop. It listens before the model
 * is loaded, so {@code /health} answers during a long load and {@code /ready} says when it is done.
 *
 * <p>Stopping ({@link #close()}): {@code /ready} turns 503 while {@code /health} stays 200 and new
 * transcriptions are refused (503, Retry-After); in-flight requests get the grace period to finish, then
 * their transcriptions are cancelled (answered 503); then the listener closes, and the model is closed
 * once the last call has left whisper.cpp (the log says so). Realtime sessions ({@code /v1/realtime})
 * get the same grace period to finish their current utterance, then a close frame (1001).
 */
public final class TranscriptionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TranscriptionServer.class);

    private final ServiceConfig config;
    private final ServiceState state = new ServiceState();
    private final ServiceMetrics metrics;
    private final AudioUrlFetcher fetcher;
    private final SpoolSpace spool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "service-timer");
        t.setDaemon(true);
        return t;
    });
    private final Server server;
    /** Orders serve() and close(): a model that finishes loading after a stop is closed, never leaked. */
    private final Object lifecycle = new Object();
    private boolean closed; // guarded by lifecycle
    /** Counted down when the first close() has stopped everything. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ServerConnector connector;
    private final RealtimeSessions realtime;

    TranscriptionServer(ServiceConfig config, String host, int port, ApiKey key) {
        this.config = config;
        this.realtime = new RealtimeSessions(config.live().maxSessions());
        this.metrics = new ServiceMetrics(realtime::count);
        this.fetcher = new AudioUrlFetcher(config.fetch());
        this.spool = SpoolSpace.inTempFolder(config.spoolDiskBytes(), config.spoolMemoryBytes());
        // a thread is held only by an admitted request (running or queued) or a short status answer:
        // bodies arrive without one (BodySpoolingHandler), so the rest of the pool is /health's and /ready's.
        // Jetty retires one idle thread per idle timeout: 3 s lets a burst's threads go within a minute
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(200, config.concurrency() + config.maxQueue() + 64),
                8, 3_000);
        threads.setName("http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(config.maxHeaderBytes());
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);

        TranscriptionEndpoint.Dependencies deps = new TranscriptionEndpoint.Dependencies(state, config, fetcher,
                metrics, timer, spool);
        ServletContextHandler context = new ServletContextHandler("/");
        // a part without a filename is a form field to Jetty, held to the form size limit (200,000 bytes):
        // curl -F 'file=<a.wav' sends its audio so, which the body limit is for
        context.setMaxFormContentSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()));
        MultipartConfigElement multipart = new MultipartConfigElement(spool.directory().toString(),
                config.maxBodyBytes(), config.maxBodyBytes(), 1 << 20);
        ServletHolder seed = new ServletHolder(new SeedEndpoint(deps));
        seed.getRegistration().setMultipartConfig(multipart);
        context.addServlet(seed, "/transcribe");
        ServletHolder openAi = new ServletHolder(new OpenAiEndpoint(deps));
        openAi.getRegistration().setMultipartConfig(multipart);
        context.addServlet(openAi, "/v1/audio/*");
        ServletHolder status = new ServletHolder(new StatusServlet(state, metrics));
        context.addServlet(status, "/health");
        context.addServlet(status, "/ready");
        context.addServlet(status, "/metrics");

        // /v1/realtime upgrades here, after the key check; every other request goes on to the servlets
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(config.live().idleTimeout());
            container.setMaxTextMessageSize(config.live().maxMessageBytes());
            container.setMaxBinaryMessageSize(config.live().maxMessageBytes());
            // a client that stops reading fails its session here instead of piling events up in the heap
            container.setMaxOutgoingFrames(4096);
            container.addMapping("/v1/realtime", new RealtimeEndpoint(state, config.live(), realtime, timer));
        });
        upgrades.setHandler(new BodySpoolingHandler(context, spool, config.bodyTimeout(), timer, metrics));

        // a body over the limit is refused from its Content-Length, or as soon as that many bytes came
        SizeLimitHandler limit = new SizeLimitHandler(config.maxBodyBytes(), -1);
        // the key is checked before anything is spooled; a refused client's body is read to the size limit
        // and dropped, so that a client that writes before it reads sees the 401
        limit.setHandler(new ApiKeyHandler(upgrades, key));
        server.setHandler(new GracefulHandler(new NoTraceHandler(limit)));
        server.setErrorHandler(new JsonErrorHandler());
        // close() has drained the transcriptions by the time it stops Jetty: what remains is a body still
        // arriving or an answer being written, which get this long
        server.setStopTimeout(5_000);
        server.setStopAtShutdown(false);
    }

    /** Starts listening; the model is not loaded yet ({@code /ready} answers 503 until {@link #serve}). */
    static TranscriptionServer listen(ServiceConfig config, String host, int port) {
        return listen(config, host, port, ApiKey.none());
    }

    /** As {@link #listen(ServiceConfig, String, int)}, transcriptions open only to clients with {@code key}. */
    static TranscriptionServer listen(ServiceConfig config, String host, int port, ApiKey key) {
        TranscriptionServer s = new TranscriptionServer(config, host, port, key);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * Serves transcriptions with this model from now on; the server closes it when it stops. If the
     * server was stopped while the model loaded (SIGTERM during the load), the model is closed here, at
     * once, and nothing is served: check {@link #serving()}.
     */
    TranscriptionServer serve(Whisper whisper) {
        Path vad = null;
        String vadMissing = "the service was started with --no-vad";
        if (config.vad()) {
            try {
                vad = ModelResolver.fromEnvironment().resolveVad().file(); // before /ready, not in the first vad request
            } catch (RuntimeException e) {
                vadMissing = "its model could not be had at start-up (" + e.getMessage() + ")";
                LOG.warn("voice activity detection is off: {}", vadMissing);
            }
        }
        synchronized (lifecycle) {
            if (!closed) {
                state.loaded(new Transcriber(whisper, config, vad, vadMissing));
                return this;
            }
        }
        LOG.info("stopped while the model loaded: closing it unused");
        closeModel(whisper);
        return this;
    }

    /** Whether a model is being served: loaded, and the server not stopped. */
    boolean serving() {
        return state.ready();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Stops gracefully (see the class comment) and closes the model; safe to call more than once. A
     * call made while another stops the server returns when that one has finished: a second SIGTERM
     * during the drain must not let the process exit under it.
     */
    @Override
    public void close() {
        Transcriber t = null;
        boolean first;
        synchronized (lifecycle) {
            first = !closed;
            closed = true;
            if (first) {
                // from here on a model that finishes loading is closed by serve(), not served
                t = state.transcriberOrNull();
                state.drain();
            }
        }
        if (!first) {
            awaitStopped(); // outside the lock: serve() may take it meanwhile
            return;
        }
        try {
            stop(t);
        } finally {
            stopped.countDown();
        }
    }

    private void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(Transcriber t) {
        // still listening: /health answers 200 and /ready 503 (a load balancer sees the drain), a new
        // transcription is refused with 503 and Retry-After, and those in flight get the grace period
        // realtime sessions finish their utterance and get a close frame meanwhile, within the same grace period
        Thread sessions = new Thread(() -> realtime.stop(config.grace()), "realtime-stop");
        sessions.start();
        try {
            int inFlight = state.inFlight();
            if (inFlight > 0) {
                LOG.info("draining: {} requests in flight get {} s", inFlight, config.grace().toSeconds());
            }
            if (!state.awaitIdle(config.grace()) && t != null) {
                LOG.info("grace period of {} s over: cancelling {} running transcriptions", config.grace().toSeconds(),
                        t.busy());
                t.cancelAll();
                state.awaitIdle(Duration.ofSeconds(10)); // cancelled ones answer 503 within a few encoder steps
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t != null) {
            t.cancelAll();
        }
        try {
            sessions.join(); // bounded: realtime.stop returns 10 s after the grace period at the latest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop(); // closes the listener; a body still trickling in is cut off after the stop timeout
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
        if (t != null) {
            closeModel(t.whisper());
        }
        fetcher.close();
        spool.close();
        timer.shutdownNow();
    }

    private static void closeModel(Whisper whisper) {
        String name = ModelName.of(whisper);
        whisper.close();
        LOG.info("model {} closed", name);
    }

    /** Realtime sessions holding a place now. */
    int realtimeSessions() {
        return realtime.count();
    }

    /** Whether the model this server served is closed (it is, once {@link #close()} returned). */
    boolean closedModel() {
        Transcriber t = state.transcriberOrNull();
        return t != null && t.whisper().isClosed();
    }
}
