package io.github.whisperjava.server;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.ModelResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * The transcription service's command ({@code whisper-server.jar}, and {@code transcribe.jar serve}).
 * Every option can also come from the environment ({@link EnvironmentDefaults}). The model comes from
 * the environment (WHISPER_MODEL_SIZE, WHISPER_MODEL_PATH, ...) and is loaded once; SIGTERM or SIGINT
 * stops it gracefully and the process exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = EnvironmentDefaults.class,
        description = {"Serve transcriptions over HTTP: POST /transcribe, OpenAI's /v1/audio/transcriptions and",
            "/v1/audio/translations, GET /health, /ready and /metrics. The model comes from the environment",
            "(WHISPER_MODEL_SIZE, WHISPER_MODEL_PATH, ...) and is loaded once. Each option may also be set",
            "in the environment: --max-body-mb as WHISPER_SERVER_MAX_BODY_MB, and so on; a flag wins."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", description = "address to listen on (default ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "port to listen on (default ${DEFAULT-VALUE})")
    int port = 8000;

    @Option(names = "--concurrency", description = "transcriptions at once, one whisper state each (default: cores)")
    int concurrency = ServiceConfig.defaults().concurrency();

    @Option(names = "--max-queue", description = "requests that may wait for a state; more are 503 at once (default: 4 x concurrency)")
    Integer maxQueue;

    @Option(names = "--no-vad", description = "do not resolve the VAD model at start-up; vad=true is then 400")
    boolean noVad;

    @Option(names = "--max-body-mb", description = "largest request body, MiB; larger is 413 (default ${DEFAULT-VALUE})")
    long maxBodyMb = 64;

    @Option(names = "--max-audio-seconds", description = "longest audio; longer is 413 (default ${DEFAULT-VALUE})")
    long maxAudioSeconds = 3600;

    @Option(names = "--request-timeout", description = "seconds a request may take; then cancelled, 504 (default ${DEFAULT-VALUE})")
    long requestTimeout = 300;

    @Option(names = "--queue-timeout", description = "seconds to wait for a free state; then 503 + Retry-After (default ${DEFAULT-VALUE})")
    long queueTimeout = 30;

    @Option(names = "--idle-timeout", description = "seconds a silent connection stays open (default ${DEFAULT-VALUE})")
    long idleTimeout = 30;

    @Option(names = "--body-timeout", description = "seconds a request body may take to arrive (default ${DEFAULT-VALUE})")
    long bodyTimeout = 120;

    @Option(names = "--grace", description = "seconds in-flight requests get at SIGTERM before they are cancelled (default ${DEFAULT-VALUE})")
    long grace = 30;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "require 'Authorization: Bearer KEY' with the key in FILE (or WHISPER_API_KEY); /health, /ready and /metrics stay open")
    Path apiKeyFile;

    @Option(names = "--allow-url-prefix", paramLabel = "PREFIX", split = ",",
            description = "audio_url on PREFIX's scheme, host and port, under its path, may reach any address, private ones included (repeatable)")
    List<String> allowUrlPrefixes = new ArrayList<>();

    @Option(names = "--allow-private-urls", description = "audio_url may reach private, loopback and link-local addresses")
    boolean allowPrivateUrls;

    @Option(names = "--max-download-mb", description = "largest audio_url download, MiB; larger is 413 (default ${DEFAULT-VALUE})")
    long maxDownloadMb = 64;

    @Option(names = "--download-timeout", description = "seconds an audio_url download may take (default ${DEFAULT-VALUE})")
    long downloadTimeout = 60;

    @Option(names = "--live-max-sessions", description = "Realtime WebSocket sessions at once; more are refused with 503 (default: 4 x concurrency)")
    Integer liveMaxSessions;

    @Option(names = "--live-max-session-minutes", description = "longest Realtime session; then it is closed (default ${DEFAULT-VALUE})")
    long liveMaxSessionMinutes = 60;

    @Option(names = "--live-idle-timeout", description = "seconds a Realtime session may go without a client message (default ${DEFAULT-VALUE})")
    long liveIdleTimeout = 60;

    @Option(names = "--live-max-message-kb", description = "largest Realtime client message, KiB; larger closes the session (default ${DEFAULT-VALUE})")
    int liveMaxMessageKb = 1024;

    ServiceConfig config() {
        FetchPolicy d = FetchPolicy.defaults();
        FetchPolicy fetch = new FetchPolicy(FetchPolicy.parse(allowUrlPrefixes), allowPrivateUrls, maxDownloadMb << 20, d.connectTimeout(),
                d.readTimeout(), Duration.ofSeconds(downloadTimeout), d.maxRedirects());
        ServiceConfig base = ServiceConfig.defaults();
        return new ServiceConfig(maxBodyMb << 20, Duration.ofSeconds(maxAudioSeconds), Duration.ofSeconds(requestTimeout),
                Duration.ofSeconds(queueTimeout), Duration.ofSeconds(idleTimeout), Duration.ofSeconds(bodyTimeout),
                Duration.ofSeconds(grace), base.maxHeaderBytes(), concurrency, maxQueue == null ? 4 * concurrency : maxQueue,
                base.audioMemoryBytes(), !noVad, fetch, new LiveLimits(liveMaxSessions == null ? 4 * concurrency : liveMaxSessions,
                        Duration.ofMinutes(liveMaxSessionMinutes), Duration.ofSeconds(liveIdleTimeout), liveMaxMessageKb << 10,
                        base.live().maxBuffered()));
    }

    @Override
    public Integer call() {
        ServiceConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("whisper-server: " + e.getMessage());
            return 2;
        }
        ApiKey key;
        try {
            key = ApiKey.from(apiKeyFile, System.getenv("WHISPER_API_KEY"));
        } catch (IllegalArgumentException e) {
            System.err.println("whisper-server: " + e.getMessage());
            return 2;
        }
        TranscriptionServer server = TranscriptionServer.listen(config, host, port, key);
        if (key.required()) {
            LOG.info("transcriptions require an API key (Authorization: Bearer)");
        } else if (!host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
            LOG.warn("listening on {} without an API key: anyone who reaches it may transcribe (--api-key-file or WHISPER_API_KEY)", host);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            LOG.info("stopping: /ready 503, no new transcriptions; in-flight ones have {} s", grace);
            server.close();
            LOG.info("stopped");
            stopped.countDown();
        };
        // SIGTERM is a request to stop, not a failure: handled here, the process drains and exits 0 (a
        // shutdown hook could not change the exit status from 143)
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> new Thread(stop, "service-stop").start());
        }
        LOG.info("listening on http://{}:{}; loading the model", host, server.port());
        Whisper whisper;
        try {
            whisper = Whisper.load(ModelResolver.fromEnvironment().resolve(),
                    ModelOptions.defaults().withConcurrency(config.concurrency()));
        } catch (RuntimeException e) {
            LOG.error("cannot load the model: {}", e.getMessage());
            server.close();
            return 1;
        }
        // a SIGTERM during the load has stopped the server already: then serve() closes the model unused
        if (server.serve(whisper).serving()) {
            LOG.info("model {} loaded ({} {}, {} states); ready", whisper.modelPath().getFileName(),
                    whisper.info().type(), whisper.source(), config.concurrency());
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }
}
