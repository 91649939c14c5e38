package io.github.whisperjava.server;

import java.time.Duration;

/**
 * The service's limits, each with the answer a request gets past it.
 *
 * @param maxBodyBytes a larger request body is refused with 413 before it is read whole
 * @param maxAudio longer audio is refused with 413 (decoding stops there)
 * @param requestTimeout a transcription running longer is cancelled and answered 504
 * @param queueTimeout a request waiting longer for a free whisper state (or for memory to decode its
 *     audio into) is answered 503 with Retry-After
 * @param idleTimeout a connection silent this long is closed (headers or body)
 * @param bodyTimeout a request body that has not arrived whole in this time is cut off, however slowly it trickles
 * @param grace on SIGTERM, in-flight requests get this long to finish before they are cancelled
 * @param maxHeaderBytes larger request headers are refused with 431
 * @param concurrency transcriptions run at once (whisper states); more wait up to queueTimeout
 * @param maxQueue requests that may wait for a whisper state; one more is answered 503 at once
 * @param audioMemoryBytes the heap that the audio of the transcriptions in flight may decode into
 * @param vad whether {@code vad=true} is served (its Silero model resolved at start-up)
 * @param fetch what audio_url may reach
 * @param live the Realtime WebSocket sessions' limits
 */
record ServiceConfig(long maxBodyBytes, Duration maxAudio, Duration requestTimeout, Duration queueTimeout,
        Duration idleTimeout, Duration bodyTimeout, Duration grace, int maxHeaderBytes, int concurrency,
        int maxQueue, long audioMemoryBytes, boolean vad, FetchPolicy fetch, LiveLimits live) {

    /** The share of {@code -Xmx} that decoded audio may take; the rest is Jetty's, the spools' and GC room. */
    static final double AUDIO_HEAP_SHARE = 0.6;

    ServiceConfig {
        if (concurrency < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("concurrency must be at least 1 and the queue at least 0, not "
                    + concurrency + " and " + maxQueue);
        }
    }

    static ServiceConfig defaults() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new ServiceConfig(64L << 20, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30), 16 << 10, cores, 4 * cores,
                (long) (Runtime.getRuntime().maxMemory() * AUDIO_HEAP_SHARE), true, FetchPolicy.defaults(),
                LiveLimits.defaults(cores));
    }

    /**
     * What the bodies waiting for transcription may hold on disk together: every admitted request's
     * largest body, and as many again arriving.
     */
    long spoolDiskBytes() {
        return 2L * (concurrency + maxQueue) * Math.max(maxBodyBytes, fetch.maxBytes());
    }

    /** What small bodies may hold in the heap together before they go to disk. */
    long spoolMemoryBytes() {
        return Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);
    }

    ServiceConfig withTimeouts(Duration request, Duration queue, Duration idle, Duration body) {
        return new ServiceConfig(maxBodyBytes, maxAudio, request, queue, idle, body, grace, maxHeaderBytes,
                concurrency, maxQueue, audioMemoryBytes, vad, fetch, live);
    }

    ServiceConfig withSizes(long body, Duration audio) {
        return new ServiceConfig(body, audio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout, grace,
                maxHeaderBytes, concurrency, maxQueue, audioMemoryBytes, vad, fetch, live);
    }

    ServiceConfig withConcurrency(int states) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, states, maxQueue, audioMemoryBytes, vad, fetch, live);
    }

    ServiceConfig withQueue(int waiting) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, concurrency, waiting, audioMemoryBytes, vad, fetch, live);
    }

    ServiceConfig withGrace(Duration g) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                g, maxHeaderBytes, concurrency, maxQueue, audioMemoryBytes, vad, fetch, live);
    }

    ServiceConfig withFetch(FetchPolicy f) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, concurrency, maxQueue, audioMemoryBytes, vad, f, live);
    }

    ServiceConfig withLive(LiveLimits l) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, concurrency, maxQueue, audioMemoryBytes, vad, fetch, l);
    }
}
