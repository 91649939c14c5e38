package io.github.whisperjava.examples.service;

import java.time.Duration;

/**
 * The service's limits, each with the answer a request gets past it.
 *
 * @param maxBodyBytes a larger request body is refused with 413 before it is read whole
 * @param maxAudio longer audio is refused with 413 (from the header, before it is decoded)
 * @param requestTimeout a transcription running longer is cancelled and answered 504
 * @param queueTimeout a request waiting longer for a free whisper state is answered 503 with Retry-After
 * @param idleTimeout a connection silent this long is closed (headers or body)
 * @param bodyTimeout a request body that has not arrived whole in this time is cut off, however slowly it trickles
 * @param grace on SIGTERM, in-flight requests get this long to finish before they are cancelled
 * @param maxHeaderBytes larger request headers are refused with 431
 * @param concurrency transcriptions run at once (whisper states); more wait up to queueTimeout
 * @param fetch what audio_url may reach
 */
record ServiceConfig(long maxBodyBytes, Duration maxAudio, Duration requestTimeout, Duration queueTimeout,
        Duration idleTimeout, Duration bodyTimeout, Duration grace, int maxHeaderBytes, int concurrency,
        FetchPolicy fetch) {

    static ServiceConfig defaults() {
        return new ServiceConfig(64L << 20, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30), 16 << 10,
                Math.max(1, Runtime.getRuntime().availableProcessors()), FetchPolicy.defaults());
    }

    ServiceConfig withTimeouts(Duration request, Duration queue, Duration idle, Duration body) {
        return new ServiceConfig(maxBodyBytes, maxAudio, request, queue, idle, body, grace, maxHeaderBytes,
                concurrency, fetch);
    }

    ServiceConfig withSizes(long body, Duration audio) {
        return new ServiceConfig(body, audio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout, grace,
                maxHeaderBytes, concurrency, fetch);
    }

    ServiceConfig withConcurrency(int states) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, states, fetch);
    }

    ServiceConfig withGrace(Duration g) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                g, maxHeaderBytes, concurrency, fetch);
    }

    ServiceConfig withFetch(FetchPolicy f) {
        return new ServiceConfig(maxBodyBytes, maxAudio, requestTimeout, queueTimeout, idleTimeout, bodyTimeout,
                grace, maxHeaderBytes, concurrency, f);
    }
}
