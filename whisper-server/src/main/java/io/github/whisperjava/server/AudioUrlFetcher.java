package io.github.whisperjava.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;

/**
 * Fetches a client-chosen {@code audio_url} without letting the client reach what the server can: the
 * host is resolved once, every address is checked ({@link AddressRules}), and the connection goes to
 * those checked addresses (Jetty's resolver is replaced, so no second DNS lookup can answer
 * differently). Redirects are followed by hand, each one checked again. No cookies or credentials are
 * sent; size and time are capped.
 */
final class AudioUrlFetcher implements AutoCloseable {
    private final FetchPolicy policy;
    private final HttpClient client = new HttpClient();

    /** The addresses checked for one request: the tag makes each request its own destination and connection. */
    private record Checked(List<InetSocketAddress> addresses) {
        @Override
        public boolean equals(Object o) {
            return this == o; // two requests never share a connection, even to the same host
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    AudioUrlFetcher(FetchPolicy policy) {
        this.policy = policy;
        client.setFollowRedirects(false);
        client.setConnectTimeout(policy.connectTimeout().toMillis());
        client.setIdleTimeout(policy.readTimeout().toMillis());
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setSocketAddressResolver(AudioUrlFetcher::checkedAddresses);
        client.setDestinationIdleTimeout(5_000); // one destination per request: let them go soon
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "whisper-java-service"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for audio_url", e);
        }
    }

    /**
     * Jetty's resolver, replaced: it answers only with the addresses a request was tagged with after
     * {@link #check}, and fails every other lookup, so nothing this client sends reaches DNS.
     */
    static void checkedAddresses(String host, int port, Map<String, Object> context,
            Promise<List<InetSocketAddress>> promise) {
        Object destination = context.get(Destination.CONTEXT_KEY);
        if (destination instanceof Destination d && d.getOrigin().getTag() instanceof Checked c) {
            promise.succeeded(c.addresses());
        } else {
            promise.failed(new UnknownHostException(host + " was not checked before connecting"));
        }
    }

    /**
     * The body at {@code url}, spooled in {@code space} (the caller closes it); an {@link ApiException}
     * for every refusal and failure.
     */
    BodySpool fetch(String url, SpoolSpace space) {
        URI uri = parse(url);
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        for (int redirects = 0; ; redirects++) {
            Request request = pinned(uri, check(uri))
                    .timeout(remainingMs(deadline), TimeUnit.MILLISECONDS)
                    .idleTimeout(policy.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            InputStreamResponseListener listener = new InputStreamResponseListener();
            request.send(listener);
            Response response;
            try {
                response = listener.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                request.abort(e);
                throw ApiException.timeout("audio_url did not answer within " + policy.totalTimeout().toSeconds() + " s");
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            } catch (InterruptedException e) {
                request.abort(e);
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted while fetching audio_url", 1);
            }
            int status = response.getStatus();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(listener.getInputStream());
                String location = response.getHeaders().get(HttpHeader.LOCATION);
                if (location == null) {
                    throw ApiException.upstream("audio_url answered " + status + " without a Location");
                }
                if (redirects == policy.maxRedirects()) {
                    throw ApiException.badParameter("audio_url", "audio_url redirected more than "
                            + policy.maxRedirects() + " times");
                }
                URI next;
                try {
                    next = uri.resolve(location.strip());
                } catch (IllegalArgumentException e) { // a 502 naming the upstream's fault, not a 500 of ours
                    throw ApiException.upstream("audio_url redirected to a malformed Location: " + e.getMessage());
                }
                uri = parse(next.toString());
                continue;
            }
            if (status != 200) {
                closeQuietly(listener.getInputStream());
                throw ApiException.upstream("audio_url answered HTTP " + status);
            }
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > policy.maxBytes()) {
                closeQuietly(listener.getInputStream());
                request.abort(new IOException("too large"));
                throw tooLarge();
            }
            return read(request, listener.getInputStream(), space.newSpool());
        }
    }

    /** A GET of {@code uri} that connects to {@code addresses} and nowhere else (no lookup of its host). */
    Request pinned(URI uri, List<InetSocketAddress> addresses) {
        return client.newRequest(uri.toString()).method(HttpMethod.GET).tag(new Checked(addresses));
    }

    /** The client, for tests that send it a request {@link #check} never saw. */
    HttpClient client() {
        return client;
    }

    private BodySpool read(Request request, InputStream in, BodySpool out) {
        byte[] buf = new byte[64 << 10];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                if (out.size() > policy.maxBytes()) {
                    request.abort(new IOException("too large"));
                    throw tooLarge();
                }
            }
        } catch (IOException e) {
            out.close();
            throw failed(e);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private ApiException tooLarge() {
        return ApiException.tooLarge("audio_url", "audio_url is larger than " + (policy.maxBytes() >> 20) + " MiB");
    }

    private ApiException failed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException) { // Jetty's "Connect Timeout"
                return ApiException.timeout("audio_url's host did not accept a connection within "
                        + policy.connectTimeout().toMillis() + " ms");
            }
            if (c instanceof TimeoutException) {
                return ApiException.timeout("fetching audio_url took too long (read timeout "
                        + policy.readTimeout().toMillis() + " ms, total " + policy.totalTimeout().toSeconds() + " s)");
            }
        }
        return ApiException.upstream("cannot fetch audio_url: " + e);
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badParameter("audio_url", "audio_url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badParameter("audio_url", "audio_url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badParameter("audio_url", "audio_url must not carry credentials");
        }
        if (host(uri).isEmpty()) {
            throw ApiException.badParameter("audio_url", "audio_url has no host");
        }
        return uri;
    }

    /**
     * The host as written. java.net.URI leaves getHost() null for spellings it does not read as a host
     * name or an address (2130706433, 127.0.0.1.), which other parsers (Jetty's, curl's) do read: take them
     * from the authority, so they are checked rather than passed through.
     */
    private static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? "" : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        int colon = authority.lastIndexOf(':');
        if (uri.getHost() == null && colon > authority.lastIndexOf(']')) {
            try {
                return Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw ApiException.badParameter("audio_url", "audio_url has a bad port");
            }
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Resolves the host once and checks every address it names; the connection goes to exactly these. */
    private List<InetSocketAddress> check(URI uri) {
        String host = AddressRules.normalHost(host(uri));
        int port = port(uri);
        InetAddress[] addresses;
        try {
            InetAddress literal = AddressRules.literal(host);
            addresses = literal != null ? new InetAddress[] {literal} : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw ApiException.badParameter("audio_url", "audio_url's host cannot be resolved: " + e.getMessage());
        }
        boolean opened = policy.opens(uri);
        List<InetSocketAddress> checked = new ArrayList<>();
        for (InetAddress a : addresses) {
            String refusal = AddressRules.refusal(a);
            if (refusal != null && !opened) {
                throw ApiException.badParameter("audio_url", "audio_url's host " + host + " is " + refusal
                        + " (" + a.getHostAddress() + "); this service fetches only from public addresses"
                        + " unless its operator allows the URL (--allow-url-prefix)");
            }
            checked.add(new InetSocketAddress(a, port));
        }
        return checked;
    }

    private static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the response is being abandoned anyway
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception ignored) {
            // stopping is best effort at shutdown
        }
    }
}
