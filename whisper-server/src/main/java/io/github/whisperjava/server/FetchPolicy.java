package io.github.whisperjava.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What the service may fetch for {@code audio_url}: public addresses only, unless the URL lies under
 * one of {@code allowedPrefixes} (scheme, host, port and folder: {@link UrlPrefix}) or
 * {@code allowPrivate} is set; at most {@code maxBytes}, within the
 * timeouts, following at most {@code maxRedirects} redirects (each checked again).
 */
record FetchPolicy(List<UrlPrefix> allowedPrefixes, boolean allowPrivate, long maxBytes, Duration connectTimeout,
        Duration readTimeout, Duration totalTimeout, int maxRedirects) {
    FetchPolicy {
        allowedPrefixes = List.copyOf(allowedPrefixes);
    }

    /** The prefixes as an operator wrote them, parsed once, at start-up. */
    static List<UrlPrefix> parse(List<String> prefixes) {
        return prefixes.stream().map(UrlPrefix::parse).toList();
    }

    static FetchPolicy defaults() {
        return new FetchPolicy(List.of(), false, 64L << 20, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(60), 3);
    }

    /** Whether the operator opened this URL: any address it resolves to may be reached. */
    boolean opens(URI uri) {
        if (allowPrivate) {
            return true;
        }
        return allowedPrefixes.stream().anyMatch(p -> p.admits(uri));
    }

    /** @throws IllegalArgumentException for a prefix {@link UrlPrefix#parse} refuses */
    FetchPolicy withAllowedPrefixes(List<String> prefixes) {
        return new FetchPolicy(parse(prefixes), allowPrivate, maxBytes, connectTimeout, readTimeout, totalTimeout, maxRedirects);
    }

    FetchPolicy withLimits(long bytes, Duration read, Duration total) {
        return new FetchPolicy(allowedPrefixes, allowPrivate, bytes, connectTimeout, read, total, maxRedirects);
    }
}
